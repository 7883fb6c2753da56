# The busy stretches of a plugin count file (see README.md): seconds, instructions, rate.
import sys
rows=[tuple(map(float,l.split())) for l in open(sys.argv[1]) if l.strip()]
# rate per 100 ms interval
segs=[];cur=None
for (t0,c0),(t1,c1) in zip(rows,rows[1:]):
    rate=(c1-c0)/(t1-t0)
    busy=rate>20e6
    if busy:
        if cur is None: cur=[t0,c0,t1,c1]
        else: cur[2],cur[3]=t1,c1
    else:
        if cur: segs.append(cur); cur=None
if cur: segs.append(cur)
for s in segs:
    d=s[2]-s[0]; n=s[3]-s[1]
    print(f"segment {d:6.2f} s  {n/1e6:10.1f} M instr  {n/d/1e6:7.1f} M/s")
