#ifndef OSPF_SPEAKER_SHIMS_H
#define OSPF_SPEAKER_SHIMS_H

#include <stdint.h>
#include <stddef.h>

/// Facts about a Linux interface, read with ioctl(2).
typedef struct {
    int index;          ///< ifindex, 0 if the interface does not exist
    int up;             ///< IFF_UP and IFF_RUNNING
    uint32_t address;   ///< primary IPv4 address, host order (0 if none)
    uint32_t netmask;   ///< its netmask, host order
    int mtu;
} ospf_interface_info;

/// Reads interface facts; returns 0 or -errno.
int ospf_interface_info_get(const char *name, ospf_interface_info *out);

/// Opens the raw OSPF socket for one interface (protocol 89, bound to 0.0.0.0,
/// SO_BINDTODEVICE, IP_PKTINFO, IP_MULTICAST_IF by ifindex, TTL 1, loop off,
/// TOS 0xC0, non-blocking). Returns the fd or -errno.
int ospf_socket_open(const char *ifname, int ifindex);

/// Joins (join != 0) or leaves a multicast group on an interface by ifindex. 0 or -errno.
int ospf_socket_membership(int fd, int ifindex, uint32_t group, int join);

/// Receives one datagram (IPv4 header included). Fills source, destination
/// (from IP_PKTINFO) and ifindex. Returns the length, 0 if nothing, or -errno.
long ospf_socket_receive(int fd, uint8_t *buf, size_t len, uint32_t *source, uint32_t *destination, int *ifindex);

/// Sends an OSPF packet to a destination (host order). Returns bytes sent or -errno.
long ospf_socket_send(int fd, const uint8_t *buf, size_t len, uint32_t destination);

/// BFD (RFC 5881): a UDP socket receiving Control packets on port 3784 of one interface
/// (SO_BINDTODEVICE), with the IP TTL and destination of each datagram (IP_RECVTTL,
/// IP_PKTINFO). Non-blocking, close-on-exec; -errno on failure.
int ospf_bfd_listen(const char *ifname, uint16_t port);

/// BFD: a UDP socket sending one session's packets from `address` on the interface with TTL 255
/// and IP precedence 6, from a free source port in first...last tried from `start` on; the
/// port is written to *port. -errno on failure (EADDRINUSE when every port is taken).
int ospf_bfd_sender(const char *ifname, uint32_t address, uint16_t first, uint16_t last, uint16_t start,
                    uint16_t *port);

/// Receives one datagram from a BFD socket: source address and port, IP TTL (-1 when the
/// kernel gave none), receiving ifindex. Returns its length, 0 when nothing is waiting, -errno.
long ospf_bfd_receive(int fd, uint8_t *buf, size_t len, uint32_t *source, uint16_t *source_port, int *ttl,
                      int *ifindex);

/// Sends a UDP datagram to destination:port. Returns bytes sent or -errno.
long ospf_udp_send(int fd, const uint8_t *buf, size_t len, uint32_t destination, uint16_t port);

/// The lowest pid whose command name (/proc/PID/comm, at most 15 characters) is `comm`, or 0.
int ospf_find_process(const char *comm);

/// pidfd_open(2): a descriptor that polls readable when the process exits. -errno on failure.
int ospf_pidfd_open(int pid);

/// Drops the page-table entries of every read-only, private, file-backed mapping without a private
/// (anonymous) page, as /proc/self/smaps reports them: code and constants of the executable and the
/// shared libraries, whose resident pages are all the file's own, so nothing is lost. Called once
/// the start is over (the first adjacency Full, or 60 s): what only the start touched (argument
/// parsing, configuration, the dynamic loader's symbol tables, the first database exchange, the
/// runtime's one-time work) leaves the resident set, and what the loop keeps using faults back in
/// from the page cache, without read-around (MADV_RANDOM). The files stay in the page cache; no
/// page the loader relocated and no private copy is touched. The executable's .rodata is trimmed
/// too where the linker put it in a writable segment (the static Swift link does): only its whole
/// pages that /proc/self/pagemap shows are the file's own. Returns the number of mappings trimmed,
/// or -errno.
int ospf_trim_executable_text(void);

/// Blocks SIGUSR1, SIGUSR2, SIGHUP, SIGTERM, SIGINT and returns a signalfd for them, or -errno.
int ospf_signalfd_open(void);

/// Reads one signal number from the signalfd; 0 if none, -errno on error.
int ospf_signalfd_read(int fd);

/// Creates a listening Unix stream socket at path (mode 0660). Returns fd or -errno.
int ospf_unix_listen(const char *path);

/// Connects to a Unix stream socket. Returns fd or -errno.
int ospf_unix_connect(const char *path);

/// Accepts a client (non-blocking). Returns fd, or -errno (-EAGAIN when none).
int ospf_unix_accept(int fd);

/// Takes an exclusive lock on `path` (created 0640) and writes our pid into it; returns the
/// descriptor to keep open for the process's life. The lock goes with the process, so a killed
/// instance never leaves a stale lock. -EWOULDBLOCK when another process holds it (its pid, if
/// readable, in *holder); another -errno on failure.
int ospf_instance_lock(const char *path, int *holder);

/// Monotonic clock in nanoseconds.
int64_t ospf_monotonic_ns(void);

/// Wall-clock seconds since the epoch.
int64_t ospf_wallclock_seconds(void);

/// Wall-clock microseconds since the epoch (for capture timestamps).
int64_t ospf_wallclock_us(void);

#endif

/// Result of running a command with a deadline.
typedef struct {
    int exit_code;      ///< exit status, or 128+signal, or -1 if it could not start
    int timed_out;      ///< 1 when the deadline passed and the process group was killed
    long output_len;    ///< bytes written to the output buffer
} ospf_run_result;

/// Runs argv (NULL-terminated) in its own process group with stdin from /dev/null and
/// stdout+stderr captured (up to out_cap bytes), waiting at most timeout_ms. On
/// timeout the whole process group gets SIGKILL. Blocking: call it off the event loop.
ospf_run_result ospf_run_command(char *const argv[], int timeout_ms, char *out, long out_cap);

/// As ospf_run_command, with the environment `envp` (NULL: the daemon's own).
ospf_run_result ospf_run_command_env(char *const argv[], char *const envp[], int timeout_ms, char *out, long out_cap);

/// Creates a non-blocking pipe; fds[0] read end, fds[1] write end. 0 or -errno.
int ospf_pipe(int fds[2]);

/// A non-blocking TCP listening socket on an IPv4 address (network byte order) and port,
/// SO_REUSEADDR, close-on-exec. Returns the descriptor or -errno.
int ospf_tcp_listen(uint32_t address, uint16_t port);

/// Accepts a connection non-blocking and close-on-exec; -errno (EAGAIN when none is waiting).
int ospf_tcp_accept(int fd);

/// A non-blocking rtnetlink socket subscribed to link and traffic-control notifications
/// (RTNLGRP_LINK, RTNLGRP_TC): qdiscs, classes and filters added or deleted, links changing.
/// Returns the descriptor or -errno.
int ospf_netlink_open(void);

/// One kernel notification: what changed and on which interface.
typedef struct {
    int ifindex;        ///< the interface
    int kind;           ///< 1 link, 2 qdisc, 3 class, 4 filter
    int deleted;        ///< 1 for a RTM_DEL* message
} ospf_netlink_event;

/// Reads the waiting notifications (non-blocking) into `events` (at most `max`); returns how many,
/// 0 when none is waiting, -errno on error (-ENOBUFS: the kernel dropped some; treat as "everything
/// may have changed").
int ospf_netlink_read(int fd, ospf_netlink_event *events, int max);

/// Sends one datagram to a Unix datagram socket: `path` is a file system path, or an abstract
/// address when it starts with '@' (systemd's NOTIFY_SOCKET convention). Returns 0 or -errno.
int ospf_unix_datagram_send(const char *path, const char *message, long length);
