// evidence-index: builds or updates the Evidence Library index from a corpus folder.
// `evidence-index compact` compacts the index in place.
// Exit status: 0 done (even if some files failed), 2 usage, 3 corpus unreadable (compact: no
// index at the path), 4 index locked by another writer, 5 index cannot be opened or written.

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "compaction.hpp"
#include "extraction.hpp"
#include "indexer.hpp"
#include "indexer_config.hpp"
#include "text.hpp"
#include "watch_mode.hpp"

namespace {

int exit_code_for(evidence::core::ErrorCode code) {
  using evidence::core::ErrorCode;
  switch (code) {
    case ErrorCode::kIo: return 3;
    case ErrorCode::kIndexLocked: return 4;
    default: return 5;
  }
}

// `evidence-index compact`: the sizes before and after, or why the index was left as it was.
int run_compact(const evidence::indexer::IndexerConfig& config) {
  using namespace evidence::indexer;
  CompactionHooks hooks;
  if (config.compact_pause_ms > 0) {
    hooks.before_swap = [&config] {
      std::fprintf(stdout, "evidence-index: the compacted copy is built; exchanging in %d ms\n",
                   config.compact_pause_ms);
      std::fflush(stdout);
      std::this_thread::sleep_for(std::chrono::milliseconds(config.compact_pause_ms));
    };
  }
  auto report = compact_index(config.index, hooks);
  if (!report) {
    std::fprintf(stderr, "evidence-index: %s\n", report.error().message.c_str());
    return report.error().code == evidence::core::ErrorCode::kNotFound ? 3
                                                                       : exit_code_for(report.error().code);
  }
  if (config.json_summary) {
    nlohmann::json out = compaction_to_json(*report);
    out["index"] = evidence::core::to_valid_utf8(config.index.string());
    std::cout << out.dump(2) << '\n';
  } else {
    std::cout << compaction_to_text(*report);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace evidence::indexer;
  // Tesseract parallelises with OpenMP; the workers already use every core, so one thread
  // each. Set before the workers start: libgomp reads it when it loads, in each worker.
  ::setenv("OMP_THREAD_LIMIT", "1", /*overwrite=*/0);
  if (argc == 2 && std::string(argv[1]) == "--extraction-worker") {
    return run_worker(STDIN_FILENO, STDOUT_FILENO);
  }
  ParsedIndexerArgs parsed = parse_indexer_args(std::vector<std::string>(argv, argv + argc));
  if (!parsed.config) {
    std::fputs(parsed.message.c_str(), parsed.exit_code == 0 ? stdout : stderr);
    return parsed.exit_code == 0 ? 0 : 2;
  }
  const IndexerConfig& config = *parsed.config;
  bool show_progress = config.progress == ProgressMode::kAlways ||
                       (config.progress == ProgressMode::kAuto && ::isatty(STDERR_FILENO));
  ProgressBar progress(stderr, show_progress);
  try {
    if (config.command == IndexerCommand::kCompact) return run_compact(config);
    if (config.watch) return run_watch(config, progress, stdout);
    auto summary = run_indexer(config, progress);
    if (!summary) {
      std::fprintf(stderr, "evidence-index: %s\n", summary.error().message.c_str());
      return exit_code_for(summary.error().code);
    }
    if (config.json_summary) {
      std::cout << summary_to_json(*summary).dump(2) << '\n';
    } else {
      std::cout << summary_to_text(*summary);
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "evidence-index: unexpected error: %s\n", e.what());
    return 5;
  }
}
