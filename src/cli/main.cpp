#include "cli/app.h"

int main(int argc, char** argv) { return customs::RunCli(argc, argv); }
