// sock_echo.c: WASI sock_accept, sock_recv, sock_send and sock_shutdown on a
// preopened listening socket (`run --tcplisten ADDR`), plus poll_oneoff on the
// listener and the sockets' error paths. Accepts one connection, reads one line,
// answers "echo: LINE", shuts down its sending side, then waits for the client
// to close. The test connects with node:net.
#include "check.h"

static int find_listener(void) {
  for (__wasi_fd_t fd = 3; fd < 32; fd++) {
    __wasi_fdstat_t st;
    if (__wasi_fd_fdstat_get(fd, &st) != 0) continue;
    if (st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM) return (int)fd;
  }
  return -1;
}

int main(void) {
  uint8_t buf[256];
  __wasi_iovec_t iov = {buf, sizeof buf};
  __wasi_ciovec_t civ = {(const uint8_t *)"x", 1};
  __wasi_size_t n = 0;
  __wasi_roflags_t roflags = 0;
  __wasi_fd_t conn = 0;

  // Error paths first: stdio is not a socket, a closed fd is not anything.
  EXPECT_ERRNO(__wasi_sock_accept(1, 0, &conn), __WASI_ERRNO_NOTSOCK, "sock_accept on stdout");
  EXPECT_ERRNO(__wasi_sock_recv(0, &iov, 1, 0, &n, &roflags), __WASI_ERRNO_NOTSOCK,
               "sock_recv on stdin");
  EXPECT_ERRNO(__wasi_sock_send(1, &civ, 1, 0, &n), __WASI_ERRNO_NOTSOCK, "sock_send on stdout");
  EXPECT_ERRNO(__wasi_sock_shutdown(1, __WASI_SDFLAGS_WR), __WASI_ERRNO_NOTSOCK,
               "sock_shutdown on stdout");
  EXPECT_ERRNO(__wasi_sock_accept(99, 0, &conn), __WASI_ERRNO_BADF, "sock_accept on a closed fd");
  EXPECT_ERRNO(__wasi_sock_recv(99, &iov, 1, 0, &n, &roflags), __WASI_ERRNO_BADF,
               "sock_recv on a closed fd");
  EXPECT_ERRNO(__wasi_sock_send(99, &civ, 1, 0, &n), __WASI_ERRNO_BADF,
               "sock_send on a closed fd");
  EXPECT_ERRNO(__wasi_sock_shutdown(99, __WASI_SDFLAGS_WR), __WASI_ERRNO_BADF,
               "sock_shutdown on a closed fd");

  int listener = find_listener();
  EXPECT(listener >= 3, "found a preopened listening socket");
  if (listener < 0) return finish();
  EXPECT_ERRNO2(__wasi_sock_recv(listener, &iov, 1, 0, &n, &roflags), __WASI_ERRNO_NOTCONN,
                __WASI_ERRNO_NOTCAPABLE, "sock_recv on the listener");

  // Wait until a client connects, then accept it.
  __wasi_subscription_t sub;
  memset(&sub, 0, sizeof sub);
  sub.userdata = 5;
  sub.u.tag = __WASI_EVENTTYPE_FD_READ;
  sub.u.u.fd_read.file_descriptor = listener;
  __wasi_event_t ev;
  EXPECT_ERRNO(__wasi_poll_oneoff(&sub, &ev, 1, &n), 0, "poll_oneoff fd_read on the listener");
  EXPECT(n == 1 && ev.userdata == 5 && ev.error == 0, "a connection is waiting");
  EXPECT_ERRNO(__wasi_sock_accept(listener, 0, &conn), 0, "sock_accept");
  __wasi_fdstat_t st;
  EXPECT(__wasi_fd_fdstat_get(conn, &st) == 0 && st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM,
         "the connection is a stream socket");
  EXPECT_ERRNO(__wasi_sock_shutdown(conn, 0), __WASI_ERRNO_INVAL, "sock_shutdown with no flags");
  EXPECT_ERRNO(__wasi_sock_recv(conn, WILD, 1, 0, &n, &roflags), __WASI_ERRNO_FAULT,
               "sock_recv wild iovecs");

  // Read one line (it may arrive in pieces).
  char line[256];
  size_t len = 0;
  while (len < sizeof line - 1) {
    __wasi_iovec_t part = {(uint8_t *)line + len, sizeof line - 1 - len};
    __wasi_errno_t e = __wasi_sock_recv(conn, &part, 1, 0, &n, &roflags);
    if (e == __WASI_ERRNO_AGAIN) {
      sub.u.u.fd_read.file_descriptor = conn;
      __wasi_poll_oneoff(&sub, &ev, 1, &n);
      continue;
    }
    if (e != 0 || n == 0) break;
    len += n;
    if (memchr(line, '\n', len)) break;
  }
  line[len] = 0;
  EXPECT(len > 0 && line[len - 1] == '\n', "sock_recv read one line");
  printf("received: %s", line);

  char reply[300];
  int rlen = snprintf(reply, sizeof reply, "echo: %s", line);
  __wasi_ciovec_t out[2] = {{(const uint8_t *)reply, 6}, {(const uint8_t *)reply + 6, rlen - 6}};
  EXPECT_ERRNO(__wasi_sock_send(conn, out, 2, 0, &n), 0, "sock_send two iovecs");
  EXPECT((int)n == rlen, "sock_send sent the whole reply");
  EXPECT_ERRNO(__wasi_sock_shutdown(conn, __WASI_SDFLAGS_WR), 0, "sock_shutdown WR");

  // The client closes after reading the reply: recv then reports end of stream.
  for (;;) {
    __wasi_errno_t e = __wasi_sock_recv(conn, &iov, 1, 0, &n, &roflags);
    if (e == __WASI_ERRNO_AGAIN) {
      sub.u.u.fd_read.file_descriptor = conn;
      __wasi_poll_oneoff(&sub, &ev, 1, &n);
      continue;
    }
    EXPECT(e == 0 && n == 0, "sock_recv reads end of stream after the client closed");
    break;
  }
  EXPECT_ERRNO(__wasi_fd_close(conn), 0, "fd_close the connection");
  return finish();
}
