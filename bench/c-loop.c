/*
 * c-loop.c - the yardstick for `npm run bench`: the seed's six scenarios as a
 * plain C program would run them (socket, bind, listen, connect, accept, the
 * steps, poll, close), with none of pollmatrix's bookkeeping. The bench
 * compiles it with the system's cc and compares the addon's cost per scenario
 * with this loop's.
 *
 * usage: c-loop ROUNDS [netns]
 *   netns: run in a fresh network namespace first (as pollmatrix's worker
 *   does where it may), so both pay the same port-space costs.
 * Prints the microseconds per scenario on stdout: wall-clock time, then the
 * process's CPU time (which other programs on the machine do not inflate).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_in addr;
static int l, c, s;

static void setup(void)
{
	int one = 1;
	socklen_t len = sizeof(addr);

	l = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(l, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(l, 1000) < 0 ||
	    getsockname(l, (struct sockaddr *)&addr, &len) < 0) {
		perror("setup");
		exit(1);
	}
	c = socket(AF_INET, SOCK_STREAM, 0);
	s = -1;
}

static void con(void) { connect(c, (struct sockaddr *)&addr, sizeof(addr)); }
static void acc(void) { s = accept(l, NULL, NULL); }
static void pol(int fd)
{
	struct pollfd p = {fd, POLLIN | POLLOUT | POLLRDHUP, 0};
	poll(&p, 1, 0);
}
static void rcv(int fd)
{
	char buf[10];
	recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
}
static void snd(int fd) { send(fd, "foo", 3, MSG_NOSIGNAL | MSG_DONTWAIT); }
static void lin(int fd)
{
	struct linger nolinger = {1, 0};
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &nolinger, sizeof(nolinger));
}
static void finish(void)
{
	close(l);
	close(c);
	if (s >= 0)
		close(s);
}

/* The seed scenarios, step by step (matrix/seed.json). Closed endpoints are
 * simply not closed twice. */
static void scenario(int n)
{
	setup();
	switch (n) {
	case 0: /* -l clo -c pol */
		close(l); l = -1; con(); pol(c);
		close(c);
		return;
	case 1: /* -s clo -c pol */
		con(); acc(); close(s); s = -1; pol(c);
		break;
	case 2: /* -s clo -c shw,pol */
		con(); acc(); close(s); s = -1; shutdown(c, SHUT_WR); pol(c);
		break;
	case 3: /* -c snd,shw -s clo -c pol,rcv,pol */
		con(); snd(c); shutdown(c, SHUT_WR); acc(); close(s); s = -1; pol(c); rcv(c); pol(c);
		break;
	case 4: /* -c snd,shw -s shw,clo -c pol,rcv,pol */
		con(); snd(c); shutdown(c, SHUT_WR); acc(); shutdown(s, SHUT_WR); close(s); s = -1;
		pol(c); rcv(c); pol(c);
		break;
	case 5: /* -s snd,lin,clo -c pol,rcv,pol */
		con(); acc(); snd(s); lin(s); close(s); s = -1; pol(c); rcv(c); pol(c);
		break;
	}
	finish();
}

static void private_network(void)
{
	struct ifreq ifr;
	int fd;

	if (unshare(CLONE_NEWNET) != 0)
		return;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 1000;
	struct timespec t0, t1, c0, c1;

	if (argc > 2 && strcmp(argv[2], "netns") == 0)
		private_network();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	for (long r = 0; r < rounds; r++)
		for (int n = 0; n < 6; n++)
			scenario(n);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	printf("%.3f %.3f\n", ((t1.tv_sec - t0.tv_sec) * 1e6 + (t1.tv_nsec - t0.tv_nsec) / 1e3) / (rounds * 6.0),
	       ((c1.tv_sec - c0.tv_sec) * 1e6 + (c1.tv_nsec - c0.tv_nsec) / 1e3) / (rounds * 6.0));
	return 0;
}
