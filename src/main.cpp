#include <iostream>
#include <string>
#include <vector>

#include "cli/command.hpp"

int main(int argc, char** argv) {
  const std::vector<std::string> arguments(argv + 1, argv + argc);  // NOLINT: argv is a C array
  try {
    return ocl::cli::run(arguments, std::cout, std::cerr);
  } catch (const std::exception& error) {
    std::cerr << "oc-lettings: " << error.what() << "\n";
    return ocl::cli::exit_failure;
  }
}
