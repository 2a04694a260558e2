// path_ops.c: the WASI path_* calls (create_directory, filestat_get,
// filestat_set_times, link, open, readlink, remove_directory, rename, symlink,
// unlink_file) on success and error paths, including paths that try to leave
// the preopened directory. Needs a writable, empty preopen named /sandbox.
#include "check.h"

// The raw import, so a path can carry an explicit length (embedded NUL, wild
// pointer) that the <wasi/api.h> wrapper, which takes C strings, cannot express.
int32_t raw_path_open(int32_t fd, int32_t dirflags, int32_t path, int32_t path_len,
                      int32_t oflags, int64_t rights, int64_t inheriting, int32_t fdflags,
                      int32_t result)
    __attribute__((__import_module__("wasi_snapshot_preview1"), __import_name__("path_open")));

#define ALL_FILE_RIGHTS                                                        \
  (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK |   \
   __WASI_RIGHTS_FD_FILESTAT_GET)

static __wasi_errno_t create_file(int dir, const char *path, const char *text) {
  __wasi_fd_t fd;
  __wasi_errno_t e = __wasi_path_open(dir, 0, path, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC,
                                      ALL_FILE_RIGHTS, 0, 0, &fd);
  if (e) return e;
  __wasi_size_t n;
  __wasi_ciovec_t iov = {(const uint8_t *)text, strlen(text)};
  e = __wasi_fd_write(fd, &iov, 1, &n);
  __wasi_fd_close(fd);
  return e;
}

static __wasi_errno_t open_file(int dir, __wasi_lookupflags_t flags, const char *path,
                                __wasi_oflags_t oflags) {
  __wasi_fd_t fd;
  __wasi_errno_t e =
      __wasi_path_open(dir, flags, path, oflags, __WASI_RIGHTS_FD_READ, 0, 0, &fd);
  if (e == 0) __wasi_fd_close(fd);
  return e;
}

int main(void) {
  int dir = find_preopen("/sandbox");
  EXPECT(dir >= 3, "found preopen /sandbox");
  __wasi_filestat_t st;

  // Directories.
  EXPECT_ERRNO(__wasi_path_create_directory(dir, "d"), 0, "path_create_directory d");
  EXPECT_ERRNO(__wasi_path_create_directory(dir, "d"), __WASI_ERRNO_EXIST,
               "path_create_directory d again");
  EXPECT_ERRNO(__wasi_path_create_directory(dir, "d/e"), 0, "path_create_directory d/e");
  EXPECT_ERRNO(__wasi_path_create_directory(dir, "missing/e"), __WASI_ERRNO_NOENT,
               "path_create_directory under a missing parent");
  EXPECT_ERRNO(__wasi_path_filestat_get(dir, 0, "d", &st), 0, "path_filestat_get d");
  EXPECT(st.filetype == __WASI_FILETYPE_DIRECTORY, "d is a directory");

  // Files.
  EXPECT_ERRNO(create_file(dir, "d/f.txt", "twelve bytes"), 0, "create d/f.txt");
  EXPECT_ERRNO(__wasi_path_filestat_get(dir, 0, "d/f.txt", &st), 0,
               "path_filestat_get d/f.txt");
  EXPECT(st.filetype == __WASI_FILETYPE_REGULAR_FILE && st.size == 12 && st.nlink == 1,
         "d/f.txt: regular file, 12 bytes, one link");
  EXPECT_ERRNO(__wasi_path_filestat_get(dir, 0, "nope", &st), __WASI_ERRNO_NOENT,
               "path_filestat_get missing file");
  EXPECT_ERRNO(__wasi_path_filestat_get(dir, 0, "d/f.txt/x", &st), __WASI_ERRNO_NOTDIR,
               "path_filestat_get through a file");
  EXPECT_ERRNO(__wasi_path_filestat_set_times(dir, 0, "d/f.txt", 0, 1500000000000000000ull,
                                              __WASI_FSTFLAGS_MTIM),
               0, "path_filestat_set_times mtim");
  __wasi_path_filestat_get(dir, 0, "d/f.txt", &st);
  EXPECT(st.mtim == 1500000000000000000ull, "mtim is 2017-07-14T02:40:00Z");
  EXPECT_ERRNO(__wasi_path_filestat_set_times(dir, 0, "d/f.txt", 0, 0,
                                              __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW),
               __WASI_ERRNO_INVAL, "path_filestat_set_times MTIM with MTIM_NOW");
  EXPECT_ERRNO(__wasi_path_filestat_set_times(dir, 0, "nope", 0, 0, __WASI_FSTFLAGS_MTIM_NOW),
               __WASI_ERRNO_NOENT, "path_filestat_set_times missing file");

  // path_open flags.
  EXPECT_ERRNO(open_file(dir, 0, "d/f.txt", 0), 0, "path_open existing file");
  EXPECT_ERRNO(open_file(dir, 0, "d/f.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL),
               __WASI_ERRNO_EXIST, "path_open CREAT|EXCL on an existing file");
  EXPECT_ERRNO(open_file(dir, 0, "d/none.txt", 0), __WASI_ERRNO_NOENT,
               "path_open a missing file");
  EXPECT_ERRNO(open_file(dir, 0, "d/f.txt", __WASI_OFLAGS_DIRECTORY), __WASI_ERRNO_NOTDIR,
               "path_open a file with DIRECTORY");
  EXPECT_ERRNO(open_file(dir, 0, "d/f.txt/", 0), __WASI_ERRNO_NOTDIR,
               "path_open a file with a trailing slash");
  EXPECT_ERRNO(open_file(dir, 0, "d/./e/../f.txt", 0), 0, "path_open d/./e/../f.txt");
  EXPECT_ERRNO(open_file(dir, 0, "/d/f.txt", 0), __WASI_ERRNO_PERM,
               "path_open an absolute path");
  EXPECT_ERRNO(open_file(dir, 0, "../x", 0), __WASI_ERRNO_PERM, "path_open ../x");
  EXPECT_ERRNO(open_file(dir, 0, "d/../../x", 0), __WASI_ERRNO_PERM, "path_open d/../../x");
  EXPECT_ERRNO(open_file(dir, 0, "", 0), __WASI_ERRNO_NOENT, "path_open an empty path");
  EXPECT_ERRNO(open_file(77, 0, "d/f.txt", 0), __WASI_ERRNO_BADF, "path_open on a closed fd");
  __wasi_fd_t fd;
  EXPECT_ERRNO(raw_path_open(dir, 0, (int32_t)(uintptr_t) "d/f.txt\0x", 9, 0,
                             __WASI_RIGHTS_FD_READ, 0, 0, (int32_t)(uintptr_t)&fd),
               __WASI_ERRNO_INVAL, "path_open a path with an embedded NUL");
  EXPECT_ERRNO(raw_path_open(dir, 0, (int32_t)(uintptr_t)WILD, 9, 0, __WASI_RIGHTS_FD_READ, 0,
                             0, (int32_t)(uintptr_t)&fd),
               __WASI_ERRNO_FAULT, "path_open a wild path pointer");
  EXPECT_ERRNO(raw_path_open(dir, 0, (int32_t)(uintptr_t) "d/f.txt", 7, 0,
                             __WASI_RIGHTS_FD_READ, 0, 0, (int32_t)(uintptr_t)WILD),
               __WASI_ERRNO_FAULT, "path_open a wild result pointer");

  // Symbolic links.
  EXPECT_ERRNO(__wasi_path_symlink("f.txt", dir, "d/link"), 0, "path_symlink d/link -> f.txt");
  EXPECT_ERRNO(__wasi_path_symlink("f.txt", dir, "d/link"), __WASI_ERRNO_EXIST,
               "path_symlink over an existing link");
  char buf[64];
  __wasi_size_t n = 0;
  EXPECT_ERRNO(__wasi_path_readlink(dir, "d/link", (uint8_t *)buf, sizeof buf, &n), 0,
               "path_readlink d/link");
  EXPECT(n == 5 && memcmp(buf, "f.txt", 5) == 0, "the link reads f.txt");
  EXPECT_ERRNO(__wasi_path_readlink(dir, "d/link", (uint8_t *)buf, 3, &n), 0,
               "path_readlink into a 3-byte buffer");
  EXPECT(n == 3 && memcmp(buf, "f.t", 3) == 0, "the contents are truncated to 3 bytes");
  EXPECT_ERRNO(__wasi_path_readlink(dir, "d/f.txt", (uint8_t *)buf, sizeof buf, &n),
               __WASI_ERRNO_INVAL, "path_readlink on a regular file");
  EXPECT_ERRNO(__wasi_path_readlink(dir, "d/nope", (uint8_t *)buf, sizeof buf, &n),
               __WASI_ERRNO_NOENT, "path_readlink on a missing path");
  EXPECT_ERRNO(__wasi_path_filestat_get(dir, 0, "d/link", &st), 0,
               "path_filestat_get d/link without following");
  EXPECT(st.filetype == __WASI_FILETYPE_SYMBOLIC_LINK, "the link itself is a symlink");
  EXPECT_ERRNO(__wasi_path_filestat_get(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "d/link", &st),
               0, "path_filestat_get d/link following");
  EXPECT(st.filetype == __WASI_FILETYPE_REGULAR_FILE && st.size == 12,
         "following the link reaches f.txt");
  EXPECT_ERRNO(open_file(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "d/link", 0), 0,
               "path_open through the link");
  EXPECT_ERRNO(open_file(dir, 0, "d/link", 0), __WASI_ERRNO_LOOP,
               "path_open the link without following");
  EXPECT_ERRNO(__wasi_path_symlink("loop2", dir, "loop1"), 0, "path_symlink loop1 -> loop2");
  EXPECT_ERRNO(__wasi_path_symlink("loop1", dir, "loop2"), 0, "path_symlink loop2 -> loop1");
  EXPECT_ERRNO(open_file(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "loop1", 0), __WASI_ERRNO_LOOP,
               "path_open a symlink loop");
  // A link whose target leaves the sandbox may or may not be created, but can
  // never be followed.
  __wasi_errno_t e = __wasi_path_symlink("../../../../../../etc/passwd", dir, "escape");
  EXPECT(e == 0 || e == __WASI_ERRNO_PERM, "path_symlink escape -> ../../.. created or PERM");
  e = open_file(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "escape", 0);
  EXPECT(e == __WASI_ERRNO_PERM || e == __WASI_ERRNO_NOENT,
         "following escape is refused (PERM, or NOENT if it was not created)");
  e = __wasi_path_symlink("/etc/passwd", dir, "absolute");
  EXPECT(e == 0 || e == __WASI_ERRNO_PERM, "path_symlink absolute -> /etc/passwd created or PERM");
  e = open_file(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "absolute", 0);
  EXPECT(e == __WASI_ERRNO_PERM || e == __WASI_ERRNO_NOENT,
         "following absolute is refused (PERM, or NOENT if it was not created)");
  __wasi_path_unlink_file(dir, "escape");
  __wasi_path_unlink_file(dir, "absolute");

  // Hard links.
  EXPECT_ERRNO(__wasi_path_link(dir, 0, "d/f.txt", dir, "hard.txt"), 0,
               "path_link hard.txt -> d/f.txt");
  __wasi_path_filestat_get(dir, 0, "hard.txt", &st);
  EXPECT(st.nlink == 2 && st.size == 12, "two links to the same 12 bytes");
  __wasi_filestat_t st2;
  __wasi_path_filestat_get(dir, 0, "d/f.txt", &st2);
  EXPECT(st.ino == st2.ino && st.dev == st2.dev, "same device and inode");
  EXPECT_ERRNO(__wasi_path_link(dir, 0, "d/f.txt", dir, "hard.txt"), __WASI_ERRNO_EXIST,
               "path_link onto an existing name");
  EXPECT_ERRNO(__wasi_path_link(dir, 0, "d", dir, "dlink"), __WASI_ERRNO_PERM,
               "path_link a directory");
  EXPECT_ERRNO(__wasi_path_link(dir, 0, "nope", dir, "x"), __WASI_ERRNO_NOENT,
               "path_link a missing source");

  // Rename.
  EXPECT_ERRNO(__wasi_path_rename(dir, "hard.txt", dir, "d/e/moved.txt"), 0,
               "path_rename hard.txt -> d/e/moved.txt");
  EXPECT_ERRNO(__wasi_path_filestat_get(dir, 0, "hard.txt", &st), __WASI_ERRNO_NOENT,
               "old name is gone");
  EXPECT_ERRNO(__wasi_path_filestat_get(dir, 0, "d/e/moved.txt", &st), 0, "new name exists");
  EXPECT_ERRNO(__wasi_path_rename(dir, "nope", dir, "x"), __WASI_ERRNO_NOENT,
               "path_rename a missing source");
  EXPECT_ERRNO(__wasi_path_create_directory(dir, "empty"), 0, "path_create_directory empty");
  EXPECT_ERRNO(__wasi_path_rename(dir, "d/e/moved.txt", dir, "empty"), __WASI_ERRNO_ISDIR,
               "path_rename a file onto a directory");
  EXPECT_ERRNO(__wasi_path_rename(dir, "empty", dir, "d"), __WASI_ERRNO_NOTEMPTY,
               "path_rename a directory onto a non-empty directory");
  EXPECT_ERRNO(__wasi_path_rename(dir, "empty", dir, "../outside"), __WASI_ERRNO_PERM,
               "path_rename out of the sandbox");

  // Removal.
  EXPECT_ERRNO(__wasi_path_remove_directory(dir, "d"), __WASI_ERRNO_NOTEMPTY,
               "path_remove_directory non-empty d");
  EXPECT_ERRNO(__wasi_path_remove_directory(dir, "d/f.txt"), __WASI_ERRNO_NOTDIR,
               "path_remove_directory on a file");
  EXPECT_ERRNO(__wasi_path_remove_directory(dir, "nope"), __WASI_ERRNO_NOENT,
               "path_remove_directory missing");
  EXPECT_ERRNO(__wasi_path_unlink_file(dir, "d"), __WASI_ERRNO_ISDIR,
               "path_unlink_file on a directory");
  EXPECT_ERRNO(__wasi_path_unlink_file(dir, "d/f.txt/"), __WASI_ERRNO_NOTDIR,
               "path_unlink_file with a trailing slash");
  EXPECT_ERRNO(__wasi_path_unlink_file(dir, "nope"), __WASI_ERRNO_NOENT,
               "path_unlink_file missing");
  EXPECT_ERRNO(__wasi_path_unlink_file(dir, "d/link"), 0, "path_unlink_file the symlink");
  EXPECT_ERRNO(__wasi_path_filestat_get(dir, 0, "d/f.txt", &st), 0,
               "unlinking the symlink kept its target");
  EXPECT_ERRNO(__wasi_path_unlink_file(dir, "d/f.txt"), 0, "path_unlink_file d/f.txt");
  EXPECT_ERRNO(__wasi_path_unlink_file(dir, "d/e/moved.txt"), 0,
               "path_unlink_file d/e/moved.txt");
  EXPECT_ERRNO(__wasi_path_unlink_file(dir, "loop1"), 0, "path_unlink_file loop1");
  EXPECT_ERRNO(__wasi_path_unlink_file(dir, "loop2"), 0, "path_unlink_file loop2");
  EXPECT_ERRNO(__wasi_path_remove_directory(dir, "d/e"), 0, "path_remove_directory d/e");
  EXPECT_ERRNO(__wasi_path_remove_directory(dir, "d"), 0, "path_remove_directory d");
  EXPECT_ERRNO(__wasi_path_remove_directory(dir, "empty"), 0, "path_remove_directory empty");
  // The preopened directory itself can never be removed.
  EXPECT_ERRNO3(__wasi_path_remove_directory(dir, "."), __WASI_ERRNO_INVAL, __WASI_ERRNO_BUSY,
                __WASI_ERRNO_PERM, "path_remove_directory .");
  EXPECT_ERRNO(__wasi_path_filestat_get(dir, 0, ".", &st), 0, "the preopen is still there");

  // Directory descriptors nest: open d2 and work relative to it.
  __wasi_path_create_directory(dir, "d2");
  __wasi_fd_t sub;
  // Creating with TRUNC needs PATH_FILESTAT_SET_SIZE on the directory as well.
  EXPECT_ERRNO(__wasi_path_open(dir, 0, "d2", __WASI_OFLAGS_DIRECTORY,
                                __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_PATH_CREATE_FILE |
                                    __WASI_RIGHTS_PATH_FILESTAT_SET_SIZE |
                                    __WASI_RIGHTS_PATH_FILESTAT_GET,
                                ALL_FILE_RIGHTS | __WASI_RIGHTS_PATH_OPEN, 0, &sub),
               0, "path_open d2 as a directory");
  EXPECT_ERRNO(create_file(sub, "inner.txt", "in"), 0, "create inner.txt relative to d2");
  EXPECT_ERRNO(__wasi_path_filestat_get(dir, 0, "d2/inner.txt", &st), 0,
               "d2/inner.txt seen from the preopen");
  // Like a preopen, an opened directory is a capability: ".." cannot leave it,
  // even toward a place its parent could reach.
  EXPECT_ERRNO(open_file(sub, 0, "../d2/inner.txt", 0), __WASI_ERRNO_PERM,
               "path_open ../d2/inner.txt from d2");
  EXPECT_ERRNO(open_file(sub, 0, "../../x", 0), __WASI_ERRNO_PERM,
               "path_open ../../x from d2");
  __wasi_fd_close(sub);
  __wasi_path_unlink_file(dir, "d2/inner.txt");
  __wasi_path_remove_directory(dir, "d2");
  return finish();
}
