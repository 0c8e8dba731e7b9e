/* The post's training step as a performance engineer would first write it in C, `descent bench`'s
 * "plain C loop" peer: one fused pass over the rows per step (forward, softmax, backward and the
 * gradient sums together), the shape fixed at compile time, the data by column, the gradient sums
 * in local variables, and the compiler free to vectorize over the rows or the units, fuse
 * multiply-adds, reassociate the sums and call glibc's vectorized tanh and exp:
 *
 *     cc -O3 -march=native -ffast-math -DHIDDEN=3 -DLAYERS=1 -o post_step post_step.c -lm
 *     ./post_step DATA PASSES [--mean]    # {"iterations": ..., "seconds": ..., "per_second": ..., "loss": ...}
 *
 * DATA is text: "rows 2 2", then each row's two features and class (0 or 1), then each layer's
 * weights (fan-in x fan-out, row-major) and biases, from input to output. Hidden layers are tanh,
 * the output softmax; the post's summed cross-entropy (divided by the rows with --mean) plus
 * lambda/2 |W|^2, epsilon = lambda = 0.01. "loss" is the post's calculate_loss after training. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef HIDDEN
#define HIDDEN 3
#endif
#ifndef LAYERS
#define LAYERS 1
#endif
#define H HIDDEN
#define MID (LAYERS > 1 ? LAYERS - 1 : 1) /* hidden-to-hidden layers (room for one when none) */
#define EPSILON 0.01
#define LAMBDA 0.01

static int rows;
static double *x0, *x1, *label; /* by column; label is 0 or 1 */
static double W1[2][H], b1[H], Wm[MID][H][H], bm[MID][H], W2[H][2], b2[2];

/* The tanh activations of one row, every hidden layer. */
static inline void hidden(int i, double a[LAYERS][H]) {
  for (int j = 0; j < H; j++) a[0][j] = tanh(x0[i] * W1[0][j] + x1[i] * W1[1][j] + b1[j]);
  for (int l = 1; l < LAYERS; l++)
    for (int j = 0; j < H; j++) {
      double z = bm[l - 1][j];
      for (int p = 0; p < H; p++) z += a[l - 1][p] * Wm[l - 1][p][j];
      a[l][j] = tanh(z);
    }
}

static void step(double scale) {
  double gW1[2][H] = {{0}}, gb1[H] = {0}, gWm[MID][H][H] = {{{0}}}, gbm[MID][H] = {{0}}, gW2[H][2] = {{0}},
         gb2[2] = {0};
  for (int i = 0; i < rows; i++) {
    double a[LAYERS][H];
    hidden(i, a);
    double z0 = b2[0], z1 = b2[1];
    for (int j = 0; j < H; j++) {
      z0 += a[LAYERS - 1][j] * W2[j][0];
      z1 += a[LAYERS - 1][j] * W2[j][1];
    }
    double e0 = exp(z0), e1 = exp(z1), sum = e0 + e1;
    double d0 = e0 / sum - (1 - label[i]), d1 = e1 / sum - label[i]; /* delta3 */
    gb2[0] += d0;
    gb2[1] += d1;
    double delta[H];
    for (int j = 0; j < H; j++) {
      double t = a[LAYERS - 1][j];
      gW2[j][0] += t * d0;
      gW2[j][1] += t * d1;
      delta[j] = (d0 * W2[j][0] + d1 * W2[j][1]) * (1 - t * t);
    }
    for (int l = LAYERS - 1; l >= 1; l--) {
      double below[H];
      for (int p = 0; p < H; p++) {
        double d = 0;
        for (int j = 0; j < H; j++) {
          gWm[l - 1][p][j] += a[l - 1][p] * delta[j];
          d += delta[j] * Wm[l - 1][p][j];
        }
        below[p] = d * (1 - a[l - 1][p] * a[l - 1][p]);
      }
      for (int j = 0; j < H; j++) {
        gbm[l - 1][j] += delta[j];
        delta[j] = below[j];
      }
    }
    for (int j = 0; j < H; j++) {
      gb1[j] += delta[j];
      gW1[0][j] += x0[i] * delta[j];
      gW1[1][j] += x1[i] * delta[j];
    }
  }
  for (int j = 0; j < H; j++) {
    for (int p = 0; p < 2; p++) W1[p][j] -= EPSILON * (gW1[p][j] * scale + LAMBDA * W1[p][j]);
    b1[j] -= EPSILON * gb1[j] * scale;
    for (int k = 0; k < 2; k++) W2[j][k] -= EPSILON * (gW2[j][k] * scale + LAMBDA * W2[j][k]);
  }
  for (int l = 0; l < LAYERS - 1; l++)
    for (int j = 0; j < H; j++) {
      for (int p = 0; p < H; p++) Wm[l][p][j] -= EPSILON * (gWm[l][p][j] * scale + LAMBDA * Wm[l][p][j]);
      bm[l][j] -= EPSILON * gbm[l][j] * scale;
    }
  for (int k = 0; k < 2; k++) b2[k] -= EPSILON * gb2[k] * scale;
}

/* The post's calculate_loss. */
static double loss(void) {
  double data = 0, norm = 0;
  for (int i = 0; i < rows; i++) {
    double a[LAYERS][H];
    hidden(i, a);
    double z0 = b2[0], z1 = b2[1];
    for (int j = 0; j < H; j++) {
      z0 += a[LAYERS - 1][j] * W2[j][0];
      z1 += a[LAYERS - 1][j] * W2[j][1];
    }
    double own = label[i] != 0 ? z1 : z0;
    data -= own - log(exp(z0) + exp(z1));
  }
  for (int j = 0; j < H; j++) norm += W1[0][j] * W1[0][j] + W1[1][j] * W1[1][j] + W2[j][0] * W2[j][0] + W2[j][1] * W2[j][1];
  for (int l = 0; l < LAYERS - 1; l++)
    for (int p = 0; p < H; p++)
      for (int j = 0; j < H; j++) norm += Wm[l][p][j] * Wm[l][p][j];
  return (data + LAMBDA / 2 * norm) / rows;
}

static void read_or_die(FILE *f, double *to, int count) {
  for (int i = 0; i < count; i++)
    if (fscanf(f, "%lf", &to[i]) != 1) {
      fprintf(stderr, "post_step: the data file ends early\n");
      exit(1);
    }
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: post_step DATA PASSES [--mean]\n");
    return 64;
  }
  FILE *f = fopen(argv[1], "r");
  int features, classes;
  if (!f || fscanf(f, "%d %d %d", &rows, &features, &classes) != 3 || features != 2 || classes != 2 || rows < 1) {
    fprintf(stderr, "post_step: %s is not rows of 2 features and 2 classes\n", argv[1]);
    return 1;
  }
  x0 = malloc(sizeof(double) * rows);
  x1 = malloc(sizeof(double) * rows);
  label = malloc(sizeof(double) * rows);
  for (int i = 0; i < rows; i++) {
    read_or_die(f, &x0[i], 1);
    read_or_die(f, &x1[i], 1);
    read_or_die(f, &label[i], 1);
  }
  read_or_die(f, &W1[0][0], 2 * H);
  read_or_die(f, b1, H);
  for (int l = 0; l < LAYERS - 1; l++) {
    read_or_die(f, &Wm[l][0][0], H * H);
    read_or_die(f, bm[l], H);
  }
  read_or_die(f, &W2[0][0], H * 2);
  read_or_die(f, b2, 2);
  fclose(f);
  long passes = atol(argv[2]);
  double scale = argc > 3 && strcmp(argv[3], "--mean") == 0 ? 1.0 / rows : 1.0;

  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (long s = 0; s < passes; s++) step(scale);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double seconds = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
  printf("{\"iterations\": %ld, \"seconds\": %.6f, \"per_second\": %.3f, \"loss\": %.9f}\n", passes, seconds,
         passes / seconds, loss());
  return 0;
}
