/*
 * netbsd-abi-check.cc - proves native/os/netbsd-abi.h against NetBSD's own
 * headers of the pinned source tree. Compiled, never run:
 *
 *   g++ -std=c++17 -fsyntax-only -nostdinc -U__linux__ -D__NetBSD__ \
 *       -I <dir with machine -> sys/arch/amd64/include, x86, pthread_types.h> \
 *       -I SRC/include -I SRC/sys -I SRC/common/include \
 *       -idirafter $(g++ -print-file-name=include) scripts/netbsd-abi-check.cc
 *
 * scripts/build-rump.sh does this on every build, while the source is
 * unpacked; a value, size or offset that differs stops the build.
 */
#include <sys/types.h>
#include <sys/errno.h>
#include <sys/event.h>
#include <sys/fcntl.h>
#include <sys/fd_set.h>
#include <sys/filio.h>
#include <sys/poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/sysctl.h>
#include <sys/time.h>
#include <sys/un.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <netinet/in_systm.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>
#include <netinet/tcp.h>
#include <netinet/tcp_timer.h>
#include <netinet/tcp_var.h>
#include <netinet6/in6.h>
#include <netinet6/ip6_var.h>
#include <netinet/icmp_var.h>
#include <sys/sockio.h>
#include <stddef.h>
#include <sys/stdint.h> /* NetBSD installs it as <stdint.h> */

#include "../native/os/netbsd-abi.h"

#define SAME(ours, theirs) static_assert((ours) == (theirs), #ours " differs from NetBSD's " #theirs)
#define SAME_LAYOUT(ours, theirs, field)                                                \
	static_assert(offsetof(netbsd::ours, field) == offsetof(struct theirs, field) &&   \
			      sizeof(netbsd::ours::field) == sizeof(((struct theirs *)0)->field), \
		      #ours "." #field " differs from NetBSD's")
#define SAME_SIZE(ours, theirs) static_assert(sizeof(netbsd::ours) == sizeof(struct theirs), #ours " size differs from NetBSD's")

SAME(netbsd::o_rdonly, O_RDONLY);
SAME(netbsd::o_wronly, O_WRONLY);
SAME(netbsd::o_rdwr, O_RDWR);
SAME(netbsd::o_nonblock, O_NONBLOCK);
SAME(netbsd::o_creat, O_CREAT);
SAME(netbsd::o_cloexec, O_CLOEXEC);
SAME(netbsd::f_getfl, F_GETFL);
SAME(netbsd::f_setfl, F_SETFL);

SAME(netbsd::enoent, ENOENT);
SAME(netbsd::eintr, EINTR);
SAME(netbsd::ebadf, EBADF);
SAME(netbsd::einval, EINVAL);
SAME(netbsd::epipe, EPIPE);
SAME(netbsd::eagain, EAGAIN);
SAME(netbsd::einprogress, EINPROGRESS);
SAME(netbsd::ealready, EALREADY);
SAME(netbsd::eopnotsupp, EOPNOTSUPP);
SAME(netbsd::eaddrinuse, EADDRINUSE);
SAME(netbsd::econnreset, ECONNRESET);
SAME(netbsd::eisconn, EISCONN);
SAME(netbsd::enotconn, ENOTCONN);
SAME(netbsd::etimedout, ETIMEDOUT);
SAME(netbsd::econnrefused, ECONNREFUSED);

SAME(netbsd::af_local, AF_LOCAL);
SAME(netbsd::af_inet, AF_INET);
SAME(netbsd::af_inet6, AF_INET6);
SAME(netbsd::sock_stream, SOCK_STREAM);
SAME(netbsd::sock_dgram, SOCK_DGRAM);
SAME(netbsd::sock_seqpacket, SOCK_SEQPACKET);
SAME(netbsd::sock_cloexec, SOCK_CLOEXEC);
SAME(netbsd::sock_nonblock, SOCK_NONBLOCK);
SAME(netbsd::sock_nosigpipe, SOCK_NOSIGPIPE);
SAME(netbsd::sol_socket, SOL_SOCKET);
SAME(netbsd::so_reuseaddr, SO_REUSEADDR);
SAME(netbsd::so_linger, SO_LINGER);
SAME(netbsd::so_oobinline, SO_OOBINLINE);
SAME(netbsd::so_nosigpipe, SO_NOSIGPIPE);
SAME(netbsd::so_sndbuf, SO_SNDBUF);
SAME(netbsd::so_rcvbuf, SO_RCVBUF);
SAME(netbsd::so_error, SO_ERROR);
SAME(netbsd::so_type, SO_TYPE);
SAME(netbsd::msg_oob, MSG_OOB);
SAME(netbsd::msg_peek, MSG_PEEK);
SAME(netbsd::msg_dontwait, MSG_DONTWAIT);
SAME(netbsd::msg_nosignal, MSG_NOSIGNAL);
SAME(netbsd::ipproto_tcp, IPPROTO_TCP);
SAME(netbsd::ipproto_udp, IPPROTO_UDP);
SAME(netbsd::ipproto_ipv6, IPPROTO_IPV6);
SAME(netbsd::tcp_nodelay, TCP_NODELAY);
SAME(netbsd::shut_rd, SHUT_RD);
SAME(netbsd::shut_wr, SHUT_WR);
SAME(netbsd::shut_rdwr, SHUT_RDWR);
SAME(netbsd::ipv6_v6only, IPV6_V6ONLY);
SAME(netbsd::inaddr_loopback, INADDR_LOOPBACK);
SAME(netbsd::fionread, FIONREAD);
SAME(netbsd::fionbio, FIONBIO);

SAME(netbsd::pollin, POLLIN);
SAME(netbsd::pollpri, POLLPRI);
SAME(netbsd::pollout, POLLOUT);
SAME(netbsd::pollerr, POLLERR);
SAME(netbsd::pollhup, POLLHUP);
SAME(netbsd::pollnval, POLLNVAL);
SAME(netbsd::pollrdnorm, POLLRDNORM);
SAME(netbsd::pollrdband, POLLRDBAND);
SAME(netbsd::pollwrband, POLLWRBAND);
SAME(netbsd::pollwrnorm, POLLWRNORM);
#ifdef POLLRDHUP
static_assert(false, "this NetBSD has POLLRDHUP: netbsd-abi.h says it has none");
#endif
SAME_SIZE(pollfd, pollfd);
SAME_LAYOUT(pollfd, pollfd, fd);
SAME_LAYOUT(pollfd, pollfd, events);
SAME_LAYOUT(pollfd, pollfd, revents);

SAME(netbsd::evfilt_read, EVFILT_READ);
SAME(netbsd::evfilt_write, EVFILT_WRITE);
SAME(netbsd::evfilt_aio, EVFILT_AIO);
SAME(netbsd::evfilt_vnode, EVFILT_VNODE);
SAME(netbsd::evfilt_proc, EVFILT_PROC);
SAME(netbsd::evfilt_signal, EVFILT_SIGNAL);
SAME(netbsd::evfilt_timer, EVFILT_TIMER);
SAME(netbsd::evfilt_syscount, EVFILT_SYSCOUNT);
SAME(netbsd::ev_add, EV_ADD);
SAME(netbsd::ev_delete, EV_DELETE);
SAME(netbsd::ev_enable, EV_ENABLE);
SAME(netbsd::ev_disable, EV_DISABLE);
SAME(netbsd::ev_oneshot, EV_ONESHOT);
SAME(netbsd::ev_clear, EV_CLEAR);
SAME(netbsd::ev_receipt, EV_RECEIPT);
SAME(netbsd::ev_dispatch, EV_DISPATCH);
SAME(netbsd::ev_sysflags, EV_SYSFLAGS);
SAME(netbsd::ev_flag1, EV_FLAG1);
SAME(netbsd::ev_error, EV_ERROR);
SAME(netbsd::ev_eof, EV_EOF);
SAME(netbsd::note_lowat, NOTE_LOWAT);
#if defined(EVFILT_USER) || defined(EVFILT_EXCEPT)
static_assert(false, "this NetBSD has EVFILT_USER or EVFILT_EXCEPT: netbsd-abi.h says it has neither");
#endif
SAME_SIZE(kevent, kevent);
SAME_LAYOUT(kevent, kevent, ident);
SAME_LAYOUT(kevent, kevent, filter);
SAME_LAYOUT(kevent, kevent, flags);
SAME_LAYOUT(kevent, kevent, fflags);
SAME_LAYOUT(kevent, kevent, data);
SAME_LAYOUT(kevent, kevent, udata);

SAME(netbsd::fd_setsize, FD_SETSIZE);
SAME(netbsd::nfdbits, __NFDBITS);
SAME_SIZE(fd_set, fd_set);
SAME_LAYOUT(fd_set, fd_set, fds_bits);

SAME_SIZE(timeval, timeval);
SAME_LAYOUT(timeval, timeval, tv_sec);
SAME_LAYOUT(timeval, timeval, tv_usec);
SAME_SIZE(timespec, timespec);
SAME_LAYOUT(timespec, timespec, tv_sec);
SAME_LAYOUT(timespec, timespec, tv_nsec);

SAME_SIZE(sockaddr, sockaddr);
SAME_LAYOUT(sockaddr, sockaddr, sa_len);
SAME_LAYOUT(sockaddr, sockaddr, sa_family);
SAME_LAYOUT(sockaddr, sockaddr, sa_data);
SAME_SIZE(sockaddr_in, sockaddr_in);
SAME_LAYOUT(sockaddr_in, sockaddr_in, sin_len);
SAME_LAYOUT(sockaddr_in, sockaddr_in, sin_family);
SAME_LAYOUT(sockaddr_in, sockaddr_in, sin_port);
SAME_LAYOUT(sockaddr_in, sockaddr_in, sin_addr);
SAME_LAYOUT(sockaddr_in, sockaddr_in, sin_zero);
SAME_SIZE(sockaddr_in6, sockaddr_in6);
SAME_LAYOUT(sockaddr_in6, sockaddr_in6, sin6_len);
SAME_LAYOUT(sockaddr_in6, sockaddr_in6, sin6_family);
SAME_LAYOUT(sockaddr_in6, sockaddr_in6, sin6_port);
SAME_LAYOUT(sockaddr_in6, sockaddr_in6, sin6_flowinfo);
SAME_LAYOUT(sockaddr_in6, sockaddr_in6, sin6_addr);
SAME_LAYOUT(sockaddr_in6, sockaddr_in6, sin6_scope_id);
SAME_SIZE(sockaddr_un, sockaddr_un);
SAME_LAYOUT(sockaddr_un, sockaddr_un, sun_len);
SAME_LAYOUT(sockaddr_un, sockaddr_un, sun_family);
SAME_LAYOUT(sockaddr_un, sockaddr_un, sun_path);
SAME_SIZE(linger, linger);
SAME_LAYOUT(linger, linger, l_onoff);
SAME_LAYOUT(linger, linger, l_linger);

SAME(netbsd::rlimit_nofile, RLIMIT_NOFILE);
SAME_SIZE(rlimit, rlimit);
SAME_LAYOUT(rlimit, rlimit, rlim_cur);
SAME_LAYOUT(rlimit, rlimit, rlim_max);

SAME(netbsd::ctl_net, CTL_NET);
SAME(netbsd::ctl_query, CTL_QUERY);
SAME(netbsd::ctl_maxname, CTL_MAXNAME);
SAME(netbsd::sysctl_version, SYSCTL_VERSION);
SAME(netbsd::sysctl_typemask, SYSCTL_TYPEMASK);
SAME(netbsd::ctltype_node, CTLTYPE_NODE);
SAME(netbsd::ctltype_int, CTLTYPE_INT);
SAME(netbsd::sysctl_namelen, SYSCTL_NAMELEN);
SAME(netbsd::tcpctl_rstppslimit, TCPCTL_RSTPPSLIMIT);
SAME_SIZE(sysctlnode, sysctlnode);
SAME_LAYOUT(sysctlnode, sysctlnode, sysctl_flags);
SAME_LAYOUT(sysctlnode, sysctlnode, sysctl_num);
SAME_LAYOUT(sysctlnode, sysctlnode, sysctl_name);
SAME_LAYOUT(sysctlnode, sysctlnode, sysctl_ver);

/* Added with os/rump.cc. */
SAME(netbsd::o_accmode, O_ACCMODE);
SAME(netbsd::o_append, O_APPEND);
SAME(netbsd::o_async, O_ASYNC);
SAME(netbsd::o_nofollow, O_NOFOLLOW);
SAME(netbsd::o_trunc, O_TRUNC);
SAME(netbsd::o_excl, O_EXCL);
SAME(netbsd::o_noctty, O_NOCTTY);
SAME(netbsd::o_directory, O_DIRECTORY);
SAME(netbsd::f_getfd, F_GETFD);
SAME(netbsd::f_setfd, F_SETFD);
SAME(netbsd::f_closem, F_CLOSEM);
SAME(netbsd::fd_cloexec, FD_CLOEXEC);
SAME(netbsd::emsgsize, EMSGSIZE);
SAME(netbsd::enoprotoopt, ENOPROTOOPT);
SAME(netbsd::eafnosupport, EAFNOSUPPORT);
SAME(netbsd::so_debug, SO_DEBUG);
SAME(netbsd::so_acceptconn, SO_ACCEPTCONN);
SAME(netbsd::so_keepalive, SO_KEEPALIVE);
SAME(netbsd::so_dontroute, SO_DONTROUTE);
SAME(netbsd::so_broadcast, SO_BROADCAST);
SAME(netbsd::so_reuseport, SO_REUSEPORT);
SAME(netbsd::so_sndlowat, SO_SNDLOWAT);
SAME(netbsd::so_rcvlowat, SO_RCVLOWAT);
SAME(netbsd::so_sndtimeo, SO_SNDTIMEO);
SAME(netbsd::so_rcvtimeo, SO_RCVTIMEO);
SAME(netbsd::msg_dontroute, MSG_DONTROUTE);
SAME(netbsd::msg_eor, MSG_EOR);
SAME(netbsd::msg_trunc, MSG_TRUNC);
SAME(netbsd::msg_ctrunc, MSG_CTRUNC);
SAME(netbsd::msg_waitall, MSG_WAITALL);
SAME(netbsd::siocatmark, SIOCATMARK);
SAME(netbsd::rlim_infinity, RLIM_INFINITY);
SAME(netbsd::ctl_kern, CTL_KERN);
SAME(netbsd::kern_ostype, KERN_OSTYPE);
SAME(netbsd::kern_osrelease, KERN_OSRELEASE);
SAME(netbsd::kern_version, KERN_VERSION);
SAME(netbsd::ctl_hw, CTL_HW);
SAME(netbsd::hw_machine, HW_MACHINE);
SAME(netbsd::hw_machine_arch, HW_MACHINE_ARCH);
SAME(netbsd::ipproto_icmp, IPPROTO_ICMP);
SAME(netbsd::icmpctl_errppslimit, ICMPCTL_ERRPPSLIMIT);
SAME(netbsd::tcpctl_ackdropratelimit, TCPCTL_ACKDROPRATELIMIT);
SAME(netbsd::ipproto_ip, IPPROTO_IP);
SAME(netbsd::ipctl_stats, IPCTL_STATS);
SAME(netbsd::ip_nstats, IP_NSTATS);
SAME(netbsd::ip_stat_total, IP_STAT_TOTAL);
SAME(netbsd::ip_stat_localout, IP_STAT_LOCALOUT);
SAME(netbsd::ipv6ctl_stats, IPV6CTL_STATS);
SAME(netbsd::ip6_nstats, IP6_NSTATS);
SAME(netbsd::ip6_stat_total, IP6_STAT_TOTAL);
SAME(netbsd::ip6_stat_localout, IP6_STAT_LOCALOUT);
SAME_SIZE(if_data, if_data);
SAME_LAYOUT(if_data, if_data, ifi_link_state);
SAME_LAYOUT(if_data, if_data, ifi_mtu);
SAME_LAYOUT(if_data, if_data, ifi_ipackets);
SAME_LAYOUT(if_data, if_data, ifi_noproto);
SAME_LAYOUT(if_data, if_data, ifi_lastchange);
SAME_SIZE(ifdatareq, ifdatareq);
SAME_LAYOUT(ifdatareq, ifdatareq, ifdr_data);
SAME(netbsd::ifnamsiz, IFNAMSIZ);
SAME(netbsd::siocgifdata, SIOCGIFDATA);
