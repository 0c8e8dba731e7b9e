// glibc's pseudo-terminal calls and posix_spawn extensions (2.34 and later), which its headers
// declare only for _GNU_SOURCE / _XOPEN_SOURCE. Defining those here would change the layout of
// types other modules import, so the functions are declared as glibc defines them instead.
#include <fcntl.h>
#include <spawn.h>
#include <stddef.h>

extern int posix_openpt(int flags);
extern int grantpt(int fd);
extern int unlockpt(int fd);
extern int ptsname_r(int fd, char *buffer, size_t size);
extern int posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *actions, const char *path);
extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);

static inline int descent_openpt(void) { return posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC); }
static inline int descent_grantpt(int fd) { return grantpt(fd); }
static inline int descent_unlockpt(int fd) { return unlockpt(fd); }
static inline int descent_ptsname(int fd, char *name, size_t size) { return ptsname_r(fd, name, size); }
static inline int descent_spawn_chdir(posix_spawn_file_actions_t *actions, const char *path) {
  return posix_spawn_file_actions_addchdir_np(actions, path);
}
static inline int descent_spawn_closefrom(posix_spawn_file_actions_t *actions, int from) {
  return posix_spawn_file_actions_addclosefrom_np(actions, from);
}
// POSIX_SPAWN_SETSID (glibc 2.26 and later): the child starts a new session.
static inline short descent_spawn_setsid(void) { return 0x80; }
