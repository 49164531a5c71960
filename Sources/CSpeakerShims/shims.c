#define _GNU_SOURCE
#include "speaker_shims.h"

#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <dirent.h>
#include <elf.h>
#include <sys/auxv.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

int ospf_interface_info_get(const char *name, ospf_interface_info *out) {
    memset(out, 0, sizeof(*out));
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0) { int e = errno; close(fd); return -e; }
    out->index = ifr.ifr_ifindex;
    if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0)
        out->up = (ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING);
    if (ioctl(fd, SIOCGIFMTU, &ifr) == 0) out->mtu = ifr.ifr_mtu;
    if (ioctl(fd, SIOCGIFADDR, &ifr) == 0)
        out->address = ntohl(((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr.s_addr);
    if (ioctl(fd, SIOCGIFNETMASK, &ifr) == 0)
        out->netmask = ntohl(((struct sockaddr_in *)&ifr.ifr_netmask)->sin_addr.s_addr);
    close(fd);
    return 0;
}

int ospf_socket_open(const char *ifname, int ifindex) {
    int fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 89);
    if (fd < 0) return -errno;
    int one = 1, zero = 0, ttl = 1, tos = 0xC0, rcvbuf = 4 << 20;
#define TRY(call) do { if ((call) < 0) { int e = errno; close(fd); return -e; } } while (0)
    TRY(setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname)));
    TRY(setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)));
    TRY(setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)));
    TRY(setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &zero, sizeof(zero)));
    TRY(setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos)));
    // A database exchange arrives in bursts: ask for 4 MiB (beyond net.core.rmem_max only with
    // CAP_NET_ADMIN; otherwise the kernel caps it at rmem_max).
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
    struct ip_mreqn mreq;
    memset(&mreq, 0, sizeof(mreq));
    mreq.imr_ifindex = ifindex;
    TRY(setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mreq, sizeof(mreq)));
    struct sockaddr_in any;
    memset(&any, 0, sizeof(any));
    any.sin_family = AF_INET;
    any.sin_addr.s_addr = htonl(INADDR_ANY);
    TRY(bind(fd, (struct sockaddr *)&any, sizeof(any)));
#undef TRY
    return fd;
}

int ospf_socket_membership(int fd, int ifindex, uint32_t group, int join) {
    struct ip_mreqn mreq;
    memset(&mreq, 0, sizeof(mreq));
    mreq.imr_multiaddr.s_addr = htonl(group);
    mreq.imr_ifindex = ifindex;
    if (setsockopt(fd, IPPROTO_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, &mreq, sizeof(mreq)) < 0)
        return -errno;
    return 0;
}

/// One datagram with its source and ancillary data: the length, 0 when nothing is waiting, or -errno.
/// `msg` keeps pointing at `from` and `control` for the caller's CMSG walk.
static long receive_with_control(int fd, uint8_t *buf, size_t len, struct sockaddr_in *from, char *control,
                                 size_t control_len, struct iovec *iov, struct msghdr *msg) {
    iov->iov_base = buf;
    iov->iov_len = len;
    memset(msg, 0, sizeof(*msg));
    msg->msg_name = from;
    msg->msg_namelen = sizeof(*from);
    msg->msg_iov = iov;
    msg->msg_iovlen = 1;
    msg->msg_control = control;
    msg->msg_controllen = control_len;
    ssize_t n = recvmsg(fd, msg, 0);
    if (n < 0) return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -errno;
    return (long)n;
}

long ospf_socket_receive(int fd, uint8_t *buf, size_t len, uint32_t *source, uint32_t *destination, int *ifindex) {
    struct sockaddr_in from;
    char control[256];
    struct iovec iov;
    struct msghdr msg;
    long n = receive_with_control(fd, buf, len, &from, control, sizeof(control), &iov, &msg);
    if (n <= 0) return n;
    *source = ntohl(from.sin_addr.s_addr);
    *destination = 0;
    *ifindex = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
            struct in_pktinfo *pi = (struct in_pktinfo *)CMSG_DATA(c);
            *destination = ntohl(pi->ipi_addr.s_addr);
            *ifindex = pi->ipi_ifindex;
        }
    }
    return (long)n;
}

long ospf_socket_send(int fd, const uint8_t *buf, size_t len, uint32_t destination) {
    struct sockaddr_in to;
    memset(&to, 0, sizeof(to));
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(destination);
    ssize_t n = sendto(fd, buf, len, 0, (struct sockaddr *)&to, sizeof(to));
    return n < 0 ? -errno : (long)n;
}

int ospf_signalfd_open(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    if (sigprocmask(SIG_BLOCK, &set, NULL) < 0) return -errno;
    int fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

int ospf_signalfd_read(int fd) {
    struct signalfd_siginfo info;
    ssize_t n = read(fd, &info, sizeof(info));
    if (n < 0) return (errno == EAGAIN) ? 0 : -errno;
    if (n != sizeof(info)) return 0;
    return (int)info.ssi_signo;
}

int ospf_unix_listen(const char *path) {
    struct sockaddr_un addr;
    if (strlen(path) >= sizeof(addr.sun_path)) return -ENAMETOOLONG;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    memset(&addr, 0, sizeof(addr));
    addr.sun_family = AF_UNIX;
    strcpy(addr.sun_path, path);
    unlink(path);
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || chmod(path, 0660) < 0 || listen(fd, 16) < 0) {
        int e = errno;
        close(fd);
        return -e;
    }
    return fd;
}

int ospf_unix_connect(const char *path) {
    struct sockaddr_un addr;
    if (strlen(path) >= sizeof(addr.sun_path)) return -ENAMETOOLONG;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    memset(&addr, 0, sizeof(addr));
    addr.sun_family = AF_UNIX;
    strcpy(addr.sun_path, path);
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        int e = errno;
        close(fd);
        return -e;
    }
    return fd;
}

int ospf_unix_accept(int fd) {
    int c = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    return c < 0 ? -errno : c;
}

int64_t ospf_monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int64_t ospf_wallclock_seconds(void) { return (int64_t)time(NULL); }

int64_t ospf_wallclock_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

#include <poll.h>
#include <stdio.h>
#include <spawn.h>
#include <sys/wait.h>

extern char **environ;

ospf_run_result ospf_run_command(char *const argv[], int timeout_ms, char *out, long out_cap) {
    return ospf_run_command_env(argv, NULL, timeout_ms, out, out_cap);
}

ospf_run_result ospf_run_command_env(char *const argv[], char *const envp[], int timeout_ms, char *out, long out_cap) {
    ospf_run_result r = {.exit_code = -1, .timed_out = 0, .output_len = 0};
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0) return r;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
    posix_spawnattr_setpgroup(&attr, 0);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, &attr, argv, envp ? envp : environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        if (out_cap > 0) r.output_len = snprintf(out, (size_t)out_cap, "cannot run %s: %s", argv[0], strerror(rc));
        if (r.output_len >= out_cap) r.output_len = out_cap - 1;
        return r;
    }
    int64_t deadline = ospf_monotonic_ns() + (int64_t)timeout_ms * 1000000LL;
    int open_pipe = 1;
    for (;;) {
        int64_t left = (deadline - ospf_monotonic_ns()) / 1000000LL;
        if (left <= 0) {
            kill(-pid, SIGKILL);
            r.timed_out = 1;
            break;
        }
        if (open_pipe) {
            struct pollfd p = {.fd = fds[0], .events = POLLIN};
            int n = poll(&p, 1, (int)(left < 50 ? left : 50));
            if (n > 0) {
                char tmp[4096];
                ssize_t got = read(fds[0], tmp, sizeof(tmp));
                if (got <= 0) {
                    open_pipe = 0;
                } else {
                    long room = out_cap - 1 - r.output_len;
                    if (room > 0) {
                        long c = got < room ? got : room;
                        memcpy(out + r.output_len, tmp, (size_t)c);
                        r.output_len += c;
                    }
                }
            }
        } else {
            struct timespec ts = {0, 5000000};
            nanosleep(&ts, NULL);
        }
        int status;
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid) {
            // Drain what is left in the pipe.
            char tmp[4096];
            ssize_t got;
            while (open_pipe && (got = read(fds[0], tmp, sizeof(tmp))) > 0) {
                long room = out_cap - 1 - r.output_len;
                if (room <= 0) break;
                long c = got < room ? got : room;
                memcpy(out + r.output_len, tmp, (size_t)c);
                r.output_len += c;
            }
            r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            close(fds[0]);
            if (out_cap > 0) out[r.output_len] = 0;
            return r;
        }
    }
    int status;
    waitpid(pid, &status, 0);
    kill(-pid, SIGKILL);  // anything left in the group
    close(fds[0]);
    r.exit_code = -1;
    if (out_cap > 0) out[r.output_len] = 0;
    return r;
}

int ospf_pipe(int fds[2]) { return pipe2(fds, O_NONBLOCK | O_CLOEXEC) < 0 ? -errno : 0; }

int ospf_instance_lock(const char *path, int *holder) {
    *holder = 0;
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0) return -errno;
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        int e = errno;
        char buf[32] = {0};
        ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
        if (n > 0) *holder = atoi(buf);
        close(fd);
        return e == EWOULDBLOCK ? -EWOULDBLOCK : -e;
    }
    char buf[32];
    int len = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
    if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, (size_t)len, 0) != len) {
        int e = errno;
        close(fd);
        return -e;
    }
    return fd;
}

int ospf_unix_datagram_send(const char *path, const char *message, long length) {
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof addr.sun_path) return -EINVAL;
    memcpy(addr.sun_path, path, n);
    socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
    if (path[0] == '@') addr.sun_path[0] = 0;  // abstract namespace: no terminating NUL counted
    else len += 1;
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    ssize_t sent = sendto(fd, message, (size_t)length, MSG_NOSIGNAL, (struct sockaddr *)&addr, len);
    int err = errno;
    close(fd);
    return sent < 0 ? -err : 0;
}

int ospf_tcp_listen(uint32_t address, uint16_t port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(address);
    sa.sin_port = htons(port);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 16) < 0) {
        int e = errno;
        close(fd);
        return -e;
    }
    return fd;
}

int ospf_tcp_accept(int fd) {
    int c = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    return c < 0 ? -errno : c;
}

int ospf_netlink_open(void) {
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0) return -errno;
    struct sockaddr_nl sa;
    memset(&sa, 0, sizeof sa);
    sa.nl_family = AF_NETLINK;
    sa.nl_groups = RTMGRP_LINK | RTMGRP_TC;
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        int e = errno;
        close(fd);
        return -e;
    }
    int size = 1 << 20;  // a tree rebuilt by LibreQoS is thousands of notifications
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    return fd;
}

int ospf_netlink_read(int fd, ospf_netlink_event *events, int max) {
    char buf[16384] __attribute__((aligned(NLMSG_ALIGNTO)));
    int n = 0;
    while (n < max) {
        ssize_t len = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (len < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) break;
            if (errno == EINTR) continue;
            return n > 0 ? n : -errno;
        }
        for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)len) && n < max; h = NLMSG_NEXT(h, len)) {
            int kind = 0, deleted = 0, ifindex = 0;
            switch (h->nlmsg_type) {
            case RTM_NEWLINK: case RTM_DELLINK:
                if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifinfomsg))) continue;
                kind = 1; deleted = h->nlmsg_type == RTM_DELLINK;
                ifindex = ((struct ifinfomsg *)NLMSG_DATA(h))->ifi_index;
                break;
            case RTM_NEWQDISC: case RTM_DELQDISC:
            case RTM_NEWTCLASS: case RTM_DELTCLASS:
            case RTM_NEWTFILTER: case RTM_DELTFILTER:
                if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct tcmsg))) continue;
                kind = (h->nlmsg_type == RTM_NEWQDISC || h->nlmsg_type == RTM_DELQDISC) ? 2
                     : (h->nlmsg_type == RTM_NEWTCLASS || h->nlmsg_type == RTM_DELTCLASS) ? 3 : 4;
                deleted = h->nlmsg_type == RTM_DELQDISC || h->nlmsg_type == RTM_DELTCLASS || h->nlmsg_type == RTM_DELTFILTER;
                ifindex = ((struct tcmsg *)NLMSG_DATA(h))->tcm_ifindex;
                break;
            default: continue;
            }
            events[n].ifindex = ifindex; events[n].kind = kind; events[n].deleted = deleted;
            n++;
        }
    }
    return n;
}

int ospf_bfd_listen(const char *ifname, uint16_t port) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    int one = 1;
#define TRY(call) do { if ((call) < 0) { int e = errno; close(fd); return -e; } } while (0)
    TRY(setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname)));
    TRY(setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &one, sizeof(one)));
    TRY(setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)));
    struct sockaddr_in any;
    memset(&any, 0, sizeof(any));
    any.sin_family = AF_INET;
    any.sin_port = htons(port);
    any.sin_addr.s_addr = htonl(INADDR_ANY);
    TRY(bind(fd, (struct sockaddr *)&any, sizeof(any)));
#undef TRY
    return fd;
}

int ospf_bfd_sender(const char *ifname, uint32_t address, uint16_t first, uint16_t last, uint16_t start,
                    uint16_t *port) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    int ttl = 255, tos = 0xC0;
#define TRY(call) do { if ((call) < 0) { int e = errno; close(fd); return -e; } } while (0)
    TRY(setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname)));
    TRY(setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)));
    TRY(setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos)));
#undef TRY
    if (last < first) { close(fd); return -EINVAL; }
    unsigned span = (unsigned)last - first + 1;
    for (unsigned i = 0; i < span; i++) {
        uint16_t p = (uint16_t)(first + ((unsigned)(start - first) + i) % span);
        struct sockaddr_in me;
        memset(&me, 0, sizeof(me));
        me.sin_family = AF_INET;
        me.sin_port = htons(p);
        me.sin_addr.s_addr = htonl(address);
        if (bind(fd, (struct sockaddr *)&me, sizeof(me)) == 0) { *port = p; return fd; }
        if (errno != EADDRINUSE) { int e = errno; close(fd); return -e; }
    }
    close(fd);
    return -EADDRINUSE;
}

long ospf_bfd_receive(int fd, uint8_t *buf, size_t len, uint32_t *source, uint16_t *source_port, int *ttl,
                      int *ifindex) {
    struct sockaddr_in from;
    char control[256];
    struct iovec iov;
    struct msghdr msg;
    long n = receive_with_control(fd, buf, len, &from, control, sizeof(control), &iov, &msg);
    if (n <= 0) return n;
    *source = ntohl(from.sin_addr.s_addr);
    *source_port = ntohs(from.sin_port);
    *ttl = -1;
    *ifindex = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) {
            int t;
            memcpy(&t, CMSG_DATA(c), sizeof(t));
            *ttl = t;
        } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
            struct in_pktinfo pi;
            memcpy(&pi, CMSG_DATA(c), sizeof(pi));
            *ifindex = pi.ipi_ifindex;
        }
    }
    return (long)n;
}

long ospf_udp_send(int fd, const uint8_t *buf, size_t len, uint32_t destination, uint16_t port) {
    struct sockaddr_in to;
    memset(&to, 0, sizeof(to));
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(destination);
    ssize_t n = sendto(fd, buf, len, 0, (struct sockaddr *)&to, sizeof(to));
    return n < 0 ? -errno : (long)n;
}

int ospf_find_process(const char *comm) {
    DIR *d = opendir("/proc");
    if (!d) return 0;
    int best = 0;
    struct dirent *e;
    char path[64], stat[512];
    while ((e = readdir(d)) != NULL) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (*end != 0 || pid <= 0) continue;
        /* /proc/PID/stat: "PID (COMM) STATE ...": COMM may hold spaces and parentheses, so it ends
         * at the last ')'. A zombie (Z) or dead (X) process no longer runs. */
        snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
        FILE *f = fopen(path, "re");
        if (!f) continue;
        size_t n = fread(stat, 1, sizeof(stat) - 1, f);
        fclose(f);
        stat[n] = 0;
        char *open = strchr(stat, '(');
        char *close_paren = strrchr(stat, ')');
        if (!open || !close_paren || close_paren < open || close_paren[1] != ' ') continue;
        char state = close_paren[2];
        if (state == 'Z' || state == 'X' || state == 'x') continue;
        size_t len = (size_t)(close_paren - open - 1);
        if (len == strlen(comm) && strncmp(open + 1, comm, len) == 0 && (best == 0 || pid < best)) best = (int)pid;
    }
    closedir(d);
    return best;
}

int ospf_pidfd_open(int pid) {
#ifdef SYS_pidfd_open
    long fd = syscall(SYS_pidfd_open, pid, 0);
#else
    long fd = syscall(434, pid, 0);
#endif
    if (fd < 0) return -errno;
    fcntl((int)fd, F_SETFD, FD_CLOEXEC);
    return (int)fd;
}

/* One mapping of /proc/self/smaps while it is read: trimmed at its end when it qualifies. */
struct trim_candidate {
    unsigned long start, end;
    int eligible;
    long anonymous_kb;
};

static int trim_if_clean(const struct trim_candidate *c) {
    /* No private (anonymous) page: every resident page is the file's own, so dropping it loses
     * nothing; the next read faults the same bytes back in. A mapping the loader wrote to
     * (relocations, RELRO) has anonymous pages and is left alone. */
    if (!c->eligible || c->anonymous_kb != 0) return 0;
    madvise((void *)c->start, c->end - c->start, MADV_RANDOM);
    return madvise((void *)c->start, c->end - c->start, MADV_DONTNEED) == 0;
}

/* The executable's .rodata, as its section header says, at its run-time address; 0 when it cannot
 * be read. A linker may place .rodata in a writable segment (the static Swift link does, beside
 * .data), where the smaps rule below never trims it; constants are never written. */
static int executable_rodata(unsigned long *start, unsigned long *end) {
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    int found = 0;
    Elf64_Ehdr eh;
    if (pread(fd, &eh, sizeof(eh), 0) == (ssize_t)sizeof(eh) && memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 &&
        eh.e_ident[EI_CLASS] == ELFCLASS64 && eh.e_shentsize == sizeof(Elf64_Shdr) && eh.e_shnum > 0 &&
        eh.e_shnum <= 512 && eh.e_shstrndx < eh.e_shnum && eh.e_phentsize == sizeof(Elf64_Phdr) &&
        eh.e_phnum <= 64) {
        Elf64_Shdr sh[512];
        Elf64_Phdr ph[64];
        size_t shsize = (size_t)eh.e_shnum * sizeof(Elf64_Shdr), phsize = (size_t)eh.e_phnum * sizeof(Elf64_Phdr);
        if (pread(fd, sh, shsize, (off_t)eh.e_shoff) == (ssize_t)shsize &&
            pread(fd, ph, phsize, (off_t)eh.e_phoff) == (ssize_t)phsize) {
            /* The load bias: where the program headers are now, less where the file says. */
            unsigned long bias = 0;
            int have_bias = eh.e_type == ET_EXEC;
            for (int i = 0; i < eh.e_phnum && !have_bias; i++) {
                if (ph[i].p_type == PT_PHDR) {
                    bias = getauxval(AT_PHDR) - ph[i].p_vaddr;
                    have_bias = 1;
                }
            }
            const Elf64_Shdr *names = &sh[eh.e_shstrndx];
            for (int i = 0; i < eh.e_shnum && have_bias && !found; i++) {
                char name[16] = {0};
                if (sh[i].sh_name >= names->sh_size) continue;
                if (pread(fd, name, sizeof(name) - 1, (off_t)(names->sh_offset + sh[i].sh_name)) <= 0) continue;
                if (strcmp(name, ".rodata") != 0 || !(sh[i].sh_flags & SHF_ALLOC) || sh[i].sh_size == 0) continue;
                *start = bias + sh[i].sh_addr;
                *end = *start + sh[i].sh_size;
                found = 1;
            }
        }
    }
    close(fd);
    return found;
}

/* Drops the whole pages of [start, end) that are the file's own (present, file-backed, as
 * /proc/self/pagemap says: never a private copy), in runs. Returns the number of pages dropped. */
static long trim_clean_pages(unsigned long start, unsigned long end) {
    long page = sysconf(_SC_PAGESIZE);
    if (page <= 0) return 0;
    start = (start + (unsigned long)page - 1) & ~((unsigned long)page - 1);
    end &= ~((unsigned long)page - 1);
    if (end <= start) return 0;
    int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    long dropped = 0;
    unsigned long run = 0;
    for (unsigned long va = start; va <= end; va += (unsigned long)page) {
        uint64_t entry = 0;
        int clean = va < end &&
            pread(fd, &entry, sizeof(entry), (off_t)(va / (unsigned long)page * sizeof(entry))) == sizeof(entry) &&
            (entry >> 63 & 1) && (entry >> 61 & 1);  /* present, and a file page */
        if (clean) {
            if (!run) run = va;
            continue;
        }
        if (run && madvise((void *)run, va - run, MADV_DONTNEED) == 0) dropped += (long)((va - run) / (unsigned long)page);
        run = 0;
    }
    close(fd);
    return dropped;
}

int ospf_trim_executable_text(void) {
    FILE *f = fopen("/proc/self/smaps", "re");
    if (!f) return -errno;
    char line[1024];
    int trimmed = 0;
    struct trim_candidate c = {0, 0, 0, -1};
    while (fgets(line, sizeof(line), f)) {
        unsigned long start, end;
        char perms[8];
        int path_at = 0;
        if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %n", &start, &end, perms, &path_at) >= 3 && path_at > 0) {
            trimmed += trim_if_clean(&c);
            char *path = line + path_at;
            path[strcspn(path, "\n")] = 0;
            /* Read-only, private, backed by a file: code and constants of the executable and the
             * shared libraries. Never anything writable, anonymous, or a special mapping. */
            c = (struct trim_candidate){start, end,
                path[0] == '/' && perms[0] == 'r' && perms[1] == '-' && perms[3] == 'p', -1};
            continue;
        }
        long kb;
        if (sscanf(line, "Anonymous: %ld kB", &kb) == 1) c.anonymous_kb = kb;
    }
    trimmed += trim_if_clean(&c);
    fclose(f);
    unsigned long rodata_start, rodata_end;
    if (executable_rodata(&rodata_start, &rodata_end) && trim_clean_pages(rodata_start, rodata_end) > 0) trimmed++;
    return trimmed;
}
