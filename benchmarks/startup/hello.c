/* The C twin of benchmarks/startup: the least a process does (start, print a
   line, exit), compiled with the system compiler at -O2 by measure.py. Its
   CPU time is the unit the start-up goals are ratios of. */
#include <stdio.h>

int main(void) {
  puts("hello");
  return 0;
}
