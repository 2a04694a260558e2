// fd_dir.c: WASI fd_prestat_get, fd_prestat_dir_name and fd_readdir (entries,
// "." and "..", cookies, truncated buffers), plus libc opendir/readdir.
// Needs preopens /sandbox (with hello.txt and sub/) then /second.
#include <dirent.h>
#include "check.h"

// Reads a whole directory with a buffer of the given size, resuming from the
// cookie of the last complete entry; returns the names joined by spaces, sorted.
static int compare_strings(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *list_dir(__wasi_fd_t fd, size_t bufsize, int *calls, __wasi_errno_t *err) {
  static char names[64][64];
  static char *sorted[64];
  int count = 0;
  uint8_t *buf = malloc(bufsize);
  __wasi_dircookie_t cookie = __WASI_DIRCOOKIE_START;
  *calls = 0;
  *err = 0;
  for (;;) {
    __wasi_size_t used = 0;
    (*calls)++;
    if ((*err = __wasi_fd_readdir(fd, buf, bufsize, cookie, &used)) != 0) break;
    size_t off = 0;
    int progressed = 0;
    while (off + sizeof(__wasi_dirent_t) <= used) {
      __wasi_dirent_t d;
      memcpy(&d, buf + off, sizeof d);
      if (off + sizeof d + d.d_namlen > used) break;  // name cut off: resume here
      if (count < 64 && d.d_namlen < 64) {
        memcpy(names[count], buf + off + sizeof d, d.d_namlen);
        names[count][d.d_namlen] = 0;
        const char *t = d.d_type == __WASI_FILETYPE_DIRECTORY      ? "/"
                        : d.d_type == __WASI_FILETYPE_REGULAR_FILE ? ""
                                                                   : "?";
        strcat(names[count], t);
        sorted[count] = names[count];
        count++;
      }
      cookie = d.d_next;
      off += sizeof d + d.d_namlen;
      progressed = 1;
    }
    if (used < bufsize) break;  // a short buffer means the end was reached
    if (!progressed) { *err = __WASI_ERRNO_NOBUFS; break; }  // one entry > buffer
  }
  free(buf);
  qsort(sorted, count, sizeof *sorted, compare_strings);
  static char out[4096];
  out[0] = 0;
  for (int i = 0; i < count; i++) {
    if (i) strcat(out, " ");
    strcat(out, sorted[i]);
  }
  return out;
}

int main(void) {
  __wasi_prestat_t ps;
  EXPECT_ERRNO(__wasi_fd_prestat_get(3, &ps), 0, "fd_prestat_get 3");
  EXPECT(ps.tag == __WASI_PREOPENTYPE_DIR && ps.u.dir.pr_name_len == 8,
         "fd 3 is a directory named with 8 bytes");
  char name[32];
  memset(name, 'x', sizeof name);
  EXPECT_ERRNO(__wasi_fd_prestat_dir_name(3, (uint8_t *)name, 8), 0, "fd_prestat_dir_name 3");
  EXPECT(memcmp(name, "/sandbox", 8) == 0 && name[8] == 'x',
         "name is /sandbox, written without a NUL");
  EXPECT_ERRNO(__wasi_fd_prestat_get(4, &ps), 0, "fd_prestat_get 4");
  EXPECT(ps.u.dir.pr_name_len == 7, "fd 4 name has 7 bytes");
  __wasi_fd_prestat_dir_name(4, (uint8_t *)name, 7);
  EXPECT(memcmp(name, "/second", 7) == 0, "fd 4 is /second");
  EXPECT_ERRNO2(__wasi_fd_prestat_dir_name(3, (uint8_t *)name, 3), __WASI_ERRNO_INVAL,
                __WASI_ERRNO_NAMETOOLONG,
               "fd_prestat_dir_name with a short buffer");
  EXPECT_ERRNO(__wasi_fd_prestat_get(5, &ps), __WASI_ERRNO_BADF,
               "fd_prestat_get past the last preopen");
  EXPECT_ERRNO(__wasi_fd_prestat_get(1, &ps), __WASI_ERRNO_BADF, "fd_prestat_get stdout");
  EXPECT_ERRNO(__wasi_fd_prestat_dir_name(1, (uint8_t *)name, 8), __WASI_ERRNO_BADF,
               "fd_prestat_dir_name stdout");
  EXPECT_ERRNO(__wasi_fd_prestat_get(3, WILD), __WASI_ERRNO_FAULT, "fd_prestat_get wild result");

  int calls;
  __wasi_errno_t err;
  char *listing = list_dir(3, 4096, &calls, &err);
  EXPECT(err == 0, "fd_readdir with a big buffer");
  printf("listing: %s\n", listing);
  EXPECT(calls == 1, "one call was enough");
  // 24-byte headers plus names: a 40-byte buffer holds at most one entry per call.
  listing = list_dir(3, 40, &calls, &err);
  EXPECT(err == 0, "fd_readdir with a 40-byte buffer, resuming by cookie");
  printf("listing: %s\n", listing);
  EXPECT(calls >= 4, "small buffer needed several calls");
  __wasi_size_t used;
  uint8_t small[8];
  EXPECT_ERRNO(__wasi_fd_readdir(3, small, sizeof small, 0, &used), 0,
               "fd_readdir with an 8-byte buffer");
  EXPECT(used == 8, "it fills the buffer with a truncated entry");

  // Read all entries, then read with a cookie past the end: nothing.
  uint8_t big[4096];
  __wasi_fd_readdir(3, big, sizeof big, 0, &used);
  __wasi_dircookie_t last = 0;
  // Wasmtime (and the official testsuite) list "." then ".." first.
  __wasi_dirent_t first, second;
  memcpy(&first, big, sizeof first);
  memcpy(&second, big + sizeof first + first.d_namlen, sizeof second);
  EXPECT(first.d_namlen == 1 && big[sizeof first] == '.' &&
             first.d_type == __WASI_FILETYPE_DIRECTORY,
         "first entry is .");
  EXPECT(second.d_namlen == 2 &&
             memcmp(big + 2 * sizeof first + first.d_namlen, "..", 2) == 0 &&
             second.d_type == __WASI_FILETYPE_DIRECTORY,
         "second entry is ..");
  for (size_t off = 0; off + sizeof(__wasi_dirent_t) <= used;) {
    __wasi_dirent_t d;
    memcpy(&d, big + off, sizeof d);
    last = d.d_next;
    off += sizeof d + d.d_namlen;
  }
  EXPECT_ERRNO(__wasi_fd_readdir(3, big, sizeof big, last, &used), 0,
               "fd_readdir from the last cookie");
  EXPECT(used == 0, "nothing after the last entry");

  __wasi_fd_t sub;
  EXPECT_ERRNO(__wasi_path_open(3, 0, "sub", __WASI_OFLAGS_DIRECTORY,
                                __WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_PATH_OPEN, 0, 0, &sub),
               0, "path_open sub as a directory");
  listing = list_dir(sub, 4096, &calls, &err);
  printf("listing sub: %s\n", listing);
  EXPECT_ERRNO3(__wasi_fd_read(sub, &(__wasi_iovec_t){small, 8}, 1, &used), __WASI_ERRNO_ISDIR,
                __WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE, "fd_read on a directory");
  EXPECT_ERRNO(__wasi_fd_prestat_get(sub, &ps), __WASI_ERRNO_BADF,
               "fd_prestat_get on an opened (not preopened) directory");
  __wasi_fd_close(sub);
  __wasi_fd_t file;
  EXPECT_ERRNO(__wasi_path_open(3, 0, "hello.txt", 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_READDIR,
                                0, 0, &file),
               0, "path_open hello.txt");
  EXPECT_ERRNO3(__wasi_fd_readdir(file, big, sizeof big, 0, &used), __WASI_ERRNO_NOTDIR,
                __WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE, "fd_readdir on a file");
  __wasi_fd_close(file);
  EXPECT_ERRNO(__wasi_fd_readdir(77, big, sizeof big, 0, &used), __WASI_ERRNO_BADF,
               "fd_readdir on a closed fd");
  EXPECT_ERRNO(__wasi_fd_readdir(3, WILD, 64, 0, &used), __WASI_ERRNO_FAULT,
               "fd_readdir into a wild buffer");

  // libc: opendir/readdir over the second preopen.
  DIR *d = opendir("/second");
  EXPECT(d != NULL, "libc opendir /second");
  int entries = 0, dots = 0;
  struct dirent *e;
  while (d && (e = readdir(d)) != NULL) {
    entries++;
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) dots++;
  }
  if (d) closedir(d);
  printf("libc readdir /second: %d entries, %d dot entries\n", entries, dots);
  return finish();
}
