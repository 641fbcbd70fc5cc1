/*
 * Loopback adapter for the lab's edge Kamailio: glibc's resolver only ever asks port 53, and
 * the lab's named listens on a free high port on the host (never 53). Preloaded into the edge
 * Kamailio only, this makes res_init() point _res at SIPHA_DNS_HOST:SIPHA_DNS_PORT; every
 * NAPTR/SRV/A query Kamailio's own DNS cache makes then goes to the lab's real named. With
 * --netns the namespaces' resolv.conf points at named on port 53 of the bridge; the edge itself
 * stays in the root namespace and keeps using this.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <resolv.h>
#include <stdlib.h>

int __res_init(void) {
  static int (*real)(void);
  if (!real) real = (int (*)(void))dlsym(RTLD_NEXT, "__res_init");
  int r = real();
  const char *host = getenv("SIPHA_DNS_HOST"), *port = getenv("SIPHA_DNS_PORT");
  if (host && port) {
    _res.nscount = 1;
    _res.nsaddr_list[0].sin_family = AF_INET;
    _res.nsaddr_list[0].sin_port = htons((unsigned short)atoi(port));
    inet_pton(AF_INET, host, &_res.nsaddr_list[0].sin_addr);
  }
  return r;
}
