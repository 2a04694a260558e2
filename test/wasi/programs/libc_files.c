// libc_files.c: WASI reached through ordinary libc file calls (wasi-libc maps
// them onto path_open, fd_read, fd_write, fd_seek, path_filestat_get, ...):
// fopen/fprintf/fgets, stat, mkdir, rename, unlink, rmdir, opendir, getcwd-free
// relative paths, and errno values as a C program sees them.
// Needs a writable preopen named /sandbox holding hello.txt ("Hello, WASI!\n").
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"

int main(void) {
  FILE *f = fopen("/sandbox/hello.txt", "r");
  EXPECT(f != NULL, "fopen /sandbox/hello.txt");
  char line[64] = {0};
  EXPECT(f && fgets(line, sizeof line, f) && strcmp(line, "Hello, WASI!\n") == 0,
         "fgets reads Hello, WASI!");
  if (f) fclose(f);

  f = fopen("/sandbox/notes.txt", "w");
  EXPECT(f != NULL, "fopen notes.txt for writing");
  for (int i = 1; i <= 100; i++) fprintf(f, "line %d\n", i);
  EXPECT(fclose(f) == 0, "fclose flushes");
  struct stat st;
  EXPECT(stat("/sandbox/notes.txt", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 792,
         "stat notes.txt: regular, 792 bytes");
  f = fopen("/sandbox/notes.txt", "r");
  int count = 0;
  while (f && fgets(line, sizeof line, f)) count++;
  EXPECT(count == 100, "read back 100 lines");
  EXPECT(f && fseek(f, -9, SEEK_END) == 0 && fgets(line, sizeof line, f) &&
             strcmp(line, "line 100\n") == 0,
         "fseek from the end");
  if (f) fclose(f);

  f = fopen("/sandbox/notes.txt", "a");
  fputs("appended\n", f);
  fclose(f);
  EXPECT(stat("/sandbox/notes.txt", &st) == 0 && st.st_size == 801, "append mode adds 9 bytes");

  EXPECT(mkdir("/sandbox/dir", 0755) == 0, "mkdir /sandbox/dir");
  EXPECT(mkdir("/sandbox/dir", 0755) == -1 && errno == EEXIST, "mkdir again: EEXIST");
  EXPECT(rename("/sandbox/notes.txt", "/sandbox/dir/notes.txt") == 0, "rename into dir");
  EXPECT(access("/sandbox/notes.txt", F_OK) == -1 && errno == ENOENT, "old name: ENOENT");
  EXPECT(rmdir("/sandbox/dir") == -1 && errno == ENOTEMPTY, "rmdir non-empty: ENOTEMPTY");
  EXPECT(symlink("notes.txt", "/sandbox/dir/link") == 0, "symlink dir/link");
  char target[64] = {0};
  EXPECT(readlink("/sandbox/dir/link", target, sizeof target - 1) == 9 &&
             strcmp(target, "notes.txt") == 0,
         "readlink dir/link");
  EXPECT(lstat("/sandbox/dir/link", &st) == 0 && S_ISLNK(st.st_mode), "lstat sees a link");
  EXPECT(stat("/sandbox/dir/link", &st) == 0 && S_ISREG(st.st_mode), "stat follows it");

  int fd = open("/sandbox/dir/notes.txt", O_RDONLY);
  EXPECT(fd >= 0, "open(2) read-only");
  EXPECT(write(fd, "x", 1) == -1 && (errno == EBADF || errno == ENOTCAPABLE),
         "write to a read-only fd: EBADF or ENOTCAPABLE");
  EXPECT(lseek(fd, 0, SEEK_END) == 801, "lseek to the end");
  close(fd);
  EXPECT(open("/sandbox/nope.txt", O_RDONLY) == -1 && errno == ENOENT, "open missing: ENOENT");
  EXPECT(open("/etc/passwd", O_RDONLY) == -1 && errno == ENOTCAPABLE,
         "open outside every preopen: ENOTCAPABLE (libc finds no preopen for it)");
  EXPECT(open("/sandbox/../etc/passwd", O_RDONLY) == -1 &&
             (errno == ENOENT || errno == EPERM || errno == ENOTCAPABLE),
         "open /sandbox/../etc/passwd is refused");

  DIR *d = opendir("/sandbox/dir");
  int entries = 0, seen = 0;
  struct dirent *e;
  while (d && (e = readdir(d))) {
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) entries++;
    if (strcmp(e->d_name, "notes.txt") == 0 && e->d_type == DT_REG) seen |= 1;
    if (strcmp(e->d_name, "link") == 0 && e->d_type == DT_LNK) seen |= 2;
  }
  if (d) closedir(d);
  EXPECT(entries == 2 && seen == 3, "readdir: dir holds the file notes.txt and the link link");

  EXPECT(unlink("/sandbox/dir/link") == 0, "unlink link");
  EXPECT(unlink("/sandbox/dir/notes.txt") == 0, "unlink notes.txt");
  EXPECT(rmdir("/sandbox/dir") == 0, "rmdir dir");
  EXPECT(unlink("/sandbox/dir") == -1 && errno == ENOENT, "unlink removed dir: ENOENT");
  return finish();
}
