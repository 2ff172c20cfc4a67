#pragma once
// The real evidence-server started on a free loopback port for a test.

#include <csignal>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "corpus_builder.hpp"
#include "process.hpp"

namespace evidence::testing {

class ServerProcess {
 public:
  ServerProcess(const std::filesystem::path& index, const std::filesystem::path& corpus,
                const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv{binary("evidence-server"), "--index", index.string(), "--corpus",
                                  corpus.string(), "--host", "127.0.0.1", "--port", "0", "--threads", "2",
                                  "--log-level", "warn"};
    // Without --thesaurus in extra, the thesaurus it ships with: the source tree's, found by
    // an executable of the build tree.
    argv.insert(argv.end(), extra.begin(), extra.end());
    child_ = std::make_unique<Child>(argv);
    std::string line = child_->wait_for_line("listening on http://127.0.0.1:", std::chrono::seconds(20));
    port_ = static_cast<unsigned short>(std::stoi(line.substr(line.rfind(':') + 1)));
  }
  unsigned short port() const { return port_; }
  Child& child() { return *child_; }

 private:
  std::unique_ptr<Child> child_;
  unsigned short port_ = 0;
};

}  // namespace evidence::testing
