import { describe, expect, it } from 'vitest';
import { phoneEvents } from './baresip.ts';

// Lines as baresip 1.0.0 (Debian) printed them in the lab: registration through DNS, one call
// answered automatically and ended by the caller's BYE, among lines that do not count (the
// summary line comes only after calls of a second or more, so it is not counted).
const output = `baresip v1.0.0 Copyright (C) 2010 - 2020 Alfred E. Heggestad et al.
Populated 1 account
baresip is ready.
user1043@lab.sipha.test: {0/UDP/v4} 200 OK (kamailio (5.6.3 (x86_64/linux))) [1 binding]
ua: using AF from sdp offer: af=AF_INET
call: answering call on line 1 from sip:user1000@127.0.0.1:5062 with 200
audio: Set audio decoder: PCMU 8000Hz 1ch
user1043@lab.sipha.test: Call established: sip:user1000@127.0.0.1:5062
[0:00:01] audio=0/0 (bit/s)    sip:user1000@127.0.0.1:5062: session closed: Connection reset by peer
sip:user1043@127.0.0.1:41234: Call with sip:user1000@127.0.0.1:5062 terminated (duration: 1 sec)
`;

describe('phoneEvents', () => {
  it('counts the registration, the answered call and its end', () => {
    expect(phoneEvents(output)).toEqual({ registered: 1, answered: 1, ended: 1 });
  });
  it('counts nothing before the registrar answers, and no non-2xx status as a registration', () => {
    expect(phoneEvents('baresip is ready.\n')).toEqual({ registered: 0, answered: 0, ended: 0 });
    const refused = 'user1043@lab.sipha.test: {0/UDP/v4} 403 Forbidden (kamailio) [0 bindings]\n';
    expect(phoneEvents(refused).registered).toBe(0);
  });
  it('does not count a call that closed for another reason as ended by a BYE', () => {
    const timedOut =
      'user1043@lab.sipha.test: Call established: sip:user1000@lab.sipha.test\nsip:user1000@lab.sipha.test: session closed: Connection timed out\n';
    expect(phoneEvents(timedOut)).toMatchObject({ answered: 1, ended: 0 });
  });
  it('counts every call of a longer run', () => {
    const call = output.split('\n').slice(4).join('\n');
    expect(phoneEvents(output + call + call)).toEqual({ registered: 1, answered: 3, ended: 3 });
  });
});
