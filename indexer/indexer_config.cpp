#include "indexer_config.hpp"

#include <charconv>
#include <thread>

#include "command_line.hpp"
#include "index_layout.hpp"
#include "locations.hpp"

namespace evidence::indexer {

namespace {

// The options that say where the index is, as both commands read them.
struct IndexPlace {
  std::string data_dir{core::kDefaultDataDir};
  std::string index;
  CLI::Option* data_dir_option = nullptr;
  CLI::Option* index_option = nullptr;

  void add_to(CLI::App& app, const std::string& index_help) {
    data_dir_option = app.add_option("--data-dir", data_dir,
                                     "Data directory: the index is kept there unless --index names it")
                          ->envname("EVIDENCE_DATA_DIR")
                          ->capture_default_str();
    index_option = app.add_option("--index", index, index_help)->envname("EVIDENCE_INDEX");
  }
  // The data directory and index of config, absolute; a message when a data directory named
  // is missing (a typo more often than a wish for a new library).
  std::string read_into(IndexerConfig& config) const {
    config.data_dir = core::absolute_path(data_dir);
    config.index =
        index_option->count() > 0 ? core::absolute_path(index) : core::DataDir{config.data_dir}.index();
    if (data_dir_option->count() > 0) {
      std::string problem = core::path_problem("--data-dir", config.data_dir, core::PathMust::kBeFolder);
      if (!problem.empty()) return "evidence-index: " + problem + "\n";
    }
    return {};
  }
};

// `evidence-index compact`: the index's place and --json; nothing else applies.
ParsedIndexerArgs parse_compact_args(const std::vector<std::string>& args) {
  IndexerConfig config;
  config.command = IndexerCommand::kCompact;
  CLI::App app{"evidence-index compact: compact the index in place (writers wait; readers follow the switch)",
               "evidence-index compact"};
  IndexPlace place;
  place.add_to(app, "Index folder (default: DATA_DIR/index)");
  app.add_flag("--json", config.json_summary, "Print the sizes before and after as JSON on stdout");
  app.add_option("--pause-before-exchange", config.compact_pause_ms,
                 "Milliseconds to wait with the copy built")
      ->check(CLI::Range(0, 600'000))
      ->group("");  // for tests: a writer arriving meanwhile, a kill before the exchange
  std::vector<std::string> rest(args.begin() + 1, args.end());  // "compact" stands for the program name
  if (auto ended = core::parse_command_line(app, rest)) return {std::nullopt, ended->first, ended->second};
  if (std::string problem = place.read_into(config); !problem.empty()) return {std::nullopt, 2, problem};
  return {config, 0, {}};
}

}  // namespace

// Long because it is the list of every flag, one statement each, followed by what turns the
// parsed text into the config; split, the flags would be read in several places.
ParsedIndexerArgs parse_indexer_args(const std::vector<std::string>& args) {
  if (args.size() >= 2 && args[1] == "compact") return parse_compact_args(args);
  IndexerConfig config;
  CLI::App app{
      "evidence-index: build or update the Evidence Library index from a folder of PDFs\n"
      "(evidence-index compact [--index DIR]: compact the index; see compact --help)"};
  app.set_version_flag("--version", "evidence-index 0.1.0");
  std::string corpus;
  IndexPlace place;
  long long stall = config.limits.stall_timeout.count();
  std::string progress = "auto";
  app.add_option("corpus", corpus, "Corpus folder: PDFs (in any subfolders) with optional NAME.json sidecars")
      ->required();
  place.add_to(app, "Index folder, created when missing (default: DATA_DIR/index)");
  app.add_option("-j,--jobs", config.jobs, "Extraction workers (default: one per core)")
      ->envname("EVIDENCE_JOBS")
      ->check(CLI::Range(0, 256));
  app.add_option("--timeout", stall, "Seconds a worker may spend opening a PDF or on one page")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
  app.add_option("--memory-limit", config.limits.memory_limit_mib, "Memory limit of each worker in MiB (0: none)")
      ->check(CLI::Range(std::uint64_t{0}, std::uint64_t{1} << 20))
      ->capture_default_str();
  app.add_option("--max-pages", config.limits.max_pages, "A PDF with more pages fails without being read (0: no limit)")
      ->check(CLI::Range(0, 100'000'000))
      ->capture_default_str();
  app.add_option("--split-pages", config.limits.split_pages,
                 "A PDF with more pages is read in parts of this many pages by several workers (0: never)")
      ->check(CLI::Range(0, 100'000'000))
      ->check([](const std::string& value) {
        int pages = 0;
        std::from_chars(value.data(), value.data() + value.size(), pages);
        return pages == 0 || pages >= 10 ? std::string() : "a part is at least 10 pages (0: never split)";
      })
      ->capture_default_str();
  app.add_option("--batch-pages", config.batch_pages, "Pages per committed batch")
      ->check(CLI::Range(1, 10'000'000))
      ->capture_default_str();
  app.add_flag("--json", config.json_summary, "Print the summary as JSON on stdout");
  app.add_option("--progress", progress, "Progress bar: auto (on a terminal), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  bool no_compact = false;
  app.add_flag("--no-compact", no_compact,
               "Do not compact the index after a full build (a run that started from an empty index)");
  app.add_flag("--retry-failed", config.retry_failed, "Retry files that failed in an earlier run and did not change");
  app.add_flag("--watch", config.watch,
               "Keep running: watch the corpus and index again a second after changes settle (until SIGINT/SIGTERM)");
  app.add_option("--shard", config.shard,
                 "Write the index as shard NAME of a network (ids become NAME.id); kept by later runs")
      ->check([](const std::string& name) {
        return core::layout::is_valid_shard_name(name) ? std::string()
                                                       : "a shard name is 1 to 32 of a-z, 0-9 and '-'";
      });
  bool no_ocr = false;
  app.add_flag("--no-ocr", no_ocr, "Do not read scanned pages with OCR (Tesseract)");
  app.add_option("--ocr-max-pages", config.ocr_max_pages,
                 "Scanned pages OCR reads in one document at most; the rest stay without text (0: no bound)")
      ->check(CLI::Range(0, 100'000'000))
      ->capture_default_str();
  app.add_option("--worker-executable", config.worker_executable, "Binary started as extraction worker")
      ->group("");  // for tests

  if (auto ended = core::parse_command_line(app, args)) return {std::nullopt, ended->first, ended->second};
  config.corpus = corpus;
  // An --index is created with the folders above it, as it always was (operating.md's
  // replica recipe writes masters/library on a fresh machine).
  if (std::string problem = place.read_into(config); !problem.empty()) return {std::nullopt, 2, problem};
  config.compact = !no_compact;
  config.limits.stall_timeout = std::chrono::seconds(stall);
  config.ocr = !no_ocr;
  config.progress = progress == "always" ? ProgressMode::kAlways
                  : progress == "never"  ? ProgressMode::kNever
                                         : ProgressMode::kAuto;
  if (config.jobs == 0) config.jobs = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  return {config, 0, {}};
}

}  // namespace evidence::indexer
