// exit_code.c: WASI proc_exit. Prints to stdout and stderr, then exits with the
// status given as its first argument (through libc exit(), which flushes stdio
// and calls proc_exit), or with proc_exit directly when a second argument "raw"
// is given, after writing a line with fd_write.
#include "check.h"

int main(int argc, char **argv) {
  int code = argc > 1 ? atoi(argv[1]) : 0;
  printf("exiting with %d\n", code);
  fprintf(stderr, "a line on stderr\n");
  if (argc > 2 && strcmp(argv[2], "raw") == 0) {
    fflush(stdout);
    __wasi_ciovec_t iov = {(const uint8_t *)"proc_exit now\n", 14};
    __wasi_size_t n;
    __wasi_fd_write(1, &iov, 1, &n);
    __wasi_proc_exit((__wasi_exitcode_t)code);
  }
  exit(code);
}
