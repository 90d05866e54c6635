// no_quickack.c: runs a command whose setsockopt(TCP_QUICKACK) calls succeed and do nothing.
//
//     cc -o no_quickack no_quickack.c
//     no_quickack php -d extension=smtpx.so contenders/smtpx.php ...
//
// The Nagle scenario runs the same smtpx.so with and without it: the difference is what
// setting TCP_QUICKACK after each read (src/core/net/connection.cc) buys, measured on the
// very build under test, with nothing added to src/. A seccomp filter does it, as the
// kernel sees the call: LD_PRELOAD cannot, because PHP loads extensions with
// RTLD_DEEPBIND and smtpx.so then finds setsockopt in libc ahead of any preloaded copy.
// The filter answers 0 (success) for setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, ...) and
// lets every other system call through; it is inherited across fork and exec.
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define THIS_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define THIS_ARCH AUDIT_ARCH_AARCH64
#else
#error "no_quickack: name this architecture's AUDIT_ARCH"
#endif

// The low 32 bits of an argument (both architectures are little-endian): level and
// option name are ints.
#define ARGUMENT(n) (offsetof(struct seccomp_data, args) + (n) * sizeof(__u64))

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s COMMAND [ARGUMENT...]\n", argv[0]);
    return 2;
  }
  struct sock_filter program[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, THIS_ARCH, 0, 7),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_setsockopt, 0, 5),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARGUMENT(1)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_TCP, 0, 3),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARGUMENT(2)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TCP_QUICKACK, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 0),  // errno 0: the call returns 0
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog filter = {sizeof program / sizeof program[0], program};
  // Without no_new_privs only a privileged process may install a filter.
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &filter) != 0) {
    perror("no_quickack: seccomp");
    return 1;
  }
  execvp(argv[1], argv + 1);
  perror("no_quickack: exec");
  return 127;
}
