/* The twin of trap.json, which divides by zero after its loop (a runtime
 * error in every backend); the twin prints what a non-trapping run would. */
#include <stdio.h>

int main(void) {
  printf("0\n");
  return 0;
}
