#include "cli/completion_command.hpp"

#include <iostream>
#include <memory>

#include "cli/api_client.hpp"

namespace relance::cli {
namespace {

struct Node {
  std::string path;   // "/contact/add"; "" for the program
  std::string words;  // its subcommands and options
  std::string takes;  // its options that take a value
};

void walk(const CLI::App& app, const std::string& path, std::vector<Node>& out) {
  Node n{path, {}, {}};
  auto add = [](std::string& list, const std::string& word) { list += (list.empty() ? "" : " ") + word; };
  for (const CLI::App* sub : app.get_subcommands({})) add(n.words, sub->get_name());
  for (const CLI::Option* o : app.get_options()) {
    std::vector<std::string> names;
    for (const std::string& l : o->get_lnames()) names.push_back("--" + l);
    for (const std::string& s : o->get_snames()) names.push_back("-" + s);
    for (const std::string& name : names) {
      add(n.words, name);
      if (o->get_expected_min() > 0) add(n.takes, name);
    }
  }
  out.push_back(n);
  for (const CLI::App* sub : app.get_subcommands({})) walk(*sub, path + "/" + sub->get_name(), out);
}

}  // namespace

std::string bash_completion(const CLI::App& app) {
  std::vector<Node> nodes;
  walk(app, "", nodes);
  std::string known, cases;
  for (const Node& n : nodes) {
    if (!n.path.empty()) known += (known.empty() ? "" : "|") + n.path;
    cases += "    \"" + n.path + "\") words=\"" + n.words + "\"; takes=\"" + n.takes + "\" ;;\n";
  }
  return "# bash completion for relance, from `relance completion bash`.\n"
         "_relance() {\n"
         "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
         "  local path=\"\" word i words=\"\" takes=\"\"\n"
         "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
         "    word=\"${COMP_WORDS[i]}\"\n"
         "    case \"${path}/${word}\" in\n"
         "      " + known + ") path=\"${path}/${word}\" ;;\n"
         "    esac\n"
         "  done\n"
         "  case \"${path}\" in\n" + cases +
         "  esac\n"
         "  if [[ -n \"${prev}\" && \" ${takes} \" == *\" ${prev} \"* ]]; then\n"
         "    COMPREPLY=($(compgen -f -- \"${cur}\"))\n"
         "    return 0\n"
         "  fi\n"
         "  COMPREPLY=($(compgen -W \"${words}\" -- \"${cur}\"))\n"
         "}\n"
         "complete -F _relance relance\n";
}

void add_completion_command(CLI::App& app, std::function<int()>& run) {
  auto shell = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand(
      "completion", "Print a shell completion script: source <(relance completion bash), or install it as "
                    "share/bash-completion/completions/relance");
  cmd->add_option("shell", *shell, "The shell: bash")->required()->check(CLI::IsMember({"bash"}));
  cmd->callback([&run, &app, shell] {
    run = [&app, shell] {
      if (*shell == "bash") std::cout << bash_completion(app);
      return int(ok);
    };
  });
}

}  // namespace relance::cli
