/* main.c — kpi's entry point: everything happens in cli_main (cli.c). */
#include "cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
