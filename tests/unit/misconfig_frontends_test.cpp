// Misconfiguration front ends (src/misconfig/frontends/): the trees docs/misconfig-model.md promises,
// with exact lines. Dockerfiles are written here; YAML structure is also compared with PyYAML
// (python3-yaml), an independent YAML 1.1 implementation.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "misconfig/document.h"

namespace customs::misconfig {
namespace {

// Path lookup: "stages.0.instructions.2.cmd". Fails the test (and returns a null node) when absent.
const Value& At(const Value& root, const std::string& path) {
  static const Value kMissing;
  const Value* v = &root;
  size_t b = 0;
  while (b <= path.size()) {
    size_t e = path.find('.', b);
    if (e == std::string::npos) e = path.size();
    const std::string part = path.substr(b, e - b);
    if (v->is_list()) {
      const size_t i = std::stoul(part);
      if (i >= v->items.size()) {
        ADD_FAILURE() << "index out of range: " << path;
        return kMissing;
      }
      v = &v->items[i];
    } else {
      v = v->Find(part);
      if (v == nullptr) {
        ADD_FAILURE() << "missing: " << path;
        return kMissing;
      }
    }
    b = e + 1;
  }
  return *v;
}
std::string S(const Value& root, const std::string& path) { return At(root, path).s; }
int64_t I(const Value& root, const std::string& path) { return At(root, path).i; }
bool B(const Value& root, const std::string& path) { return At(root, path).b; }
std::vector<std::string> L(const Value& root, const std::string& path) {
  std::vector<std::string> out;
  for (const Value& v : At(root, path).items) out.push_back(v.s);
  return out;
}
using Strs = std::vector<std::string>;

Value Dockerfile(const std::string& text, std::vector<ParseProblem>* problems = nullptr) {
  ParseResult r = ParseConfig(DocKind::kDockerfile, "Dockerfile", text);
  EXPECT_EQ(r.documents.size(), 1u);
  if (problems != nullptr) *problems = r.problems;
  else
    for (const auto& p : r.problems) ADD_FAILURE() << "unexpected problem: " << p.line << ": " << p.message;
  return r.documents.empty() ? Value() : r.documents[0].root;
}

// ---------------------------------------------------------------------------------------------------
// Dockerfile

TEST(MisconfigDockerfile, DirectivesAndStages) {
  const Value d = Dockerfile(
      "# syntax=docker/dockerfile:1.7\n"    // 1
      "#check=skip=JSONArgsRecommended\n"   // 2
      "# escape=\\\n"                       // 3
      "\n"                                  // 4
      "# syntax=ignored/now\n"              // 5 (a comment: directives are over)
      "FROM alpine:3.19@sha256:abc AS Build\n"  // 6
      "RUN true\n"                          // 7
      "FROM build\n"                        // 8
      "from scratch\n");                    // 9
  EXPECT_EQ(S(d, "directives.syntax"), "docker/dockerfile:1.7");
  EXPECT_EQ(At(d, "directives.syntax").line, 1);
  EXPECT_EQ(S(d, "directives.check"), "skip=JSONArgsRecommended");
  EXPECT_EQ(At(d, "directives.check").line, 2);
  EXPECT_EQ(S(d, "escape"), "\\");
  ASSERT_EQ(At(d, "stages").items.size(), 3u);
  EXPECT_EQ(S(d, "stages.0.name"), "build");
  EXPECT_EQ(I(d, "stages.0.line"), 6);
  EXPECT_EQ(I(d, "stages.0.end_line"), 7);
  EXPECT_EQ(S(d, "stages.0.base.image"), "alpine");
  EXPECT_EQ(S(d, "stages.0.base.tag"), "3.19");
  EXPECT_EQ(S(d, "stages.0.base.digest"), "sha256:abc");
  EXPECT_EQ(I(d, "stages.0.base.stage_ref"), -1);
  EXPECT_EQ(I(d, "stages.1.base.stage_ref"), 0);
  EXPECT_EQ(S(d, "stages.1.name"), "");
  EXPECT_EQ(I(d, "stages.1.index"), 1);
  EXPECT_TRUE(B(d, "stages.2.base.scratch"));
  EXPECT_EQ(S(d, "stages.2.instructions.0.cmd"), "from");
  EXPECT_EQ(I(d, "final_stage"), 2);
  ASSERT_EQ(At(d, "instructions").items.size(), 4u);
  EXPECT_EQ(I(d, "instructions.1.stage"), 0);
  EXPECT_EQ(I(d, "instructions.1.line"), 7);
  EXPECT_EQ(At(d, "instructions.3").line, 9);
}

TEST(MisconfigDockerfile, ImageReferences) {
  const Value d = Dockerfile(
      "FROM registry.local:5000/team/app\n"
      "FROM ghcr.io/a/b:v1.2\n"
      "FROM --platform=linux/arm64 debian@sha256:0123\n");
  EXPECT_EQ(S(d, "stages.0.base.image"), "registry.local:5000/team/app");
  EXPECT_EQ(S(d, "stages.0.base.tag"), "");
  EXPECT_EQ(S(d, "stages.1.base.image"), "ghcr.io/a/b");
  EXPECT_EQ(S(d, "stages.1.base.tag"), "v1.2");
  EXPECT_EQ(S(d, "stages.2.base.image"), "debian");
  EXPECT_EQ(S(d, "stages.2.base.digest"), "sha256:0123");
  EXPECT_EQ(S(d, "stages.2.base.platform"), "linux/arm64");
  EXPECT_EQ(S(d, "stages.2.instructions.0.flags.platform"), "linux/arm64");
}

TEST(MisconfigDockerfile, ContinuationsWithCommentsAndExactLines) {
  const Value d = Dockerfile(
      "FROM alpine\n"                           // 1
      "RUN apk add \\\n"                        // 2
      "# a comment inside the continuation\n"   // 3
      "\n"                                      // 4
      "      curl \\   \n"                      // 5 (whitespace after the escape)
      "      git\n"                             // 6
      "  # indented comment\n"                  // 7
      "USER nobody\n");                         // 8
  const Value& run = At(d, "stages.0.instructions.1");
  EXPECT_EQ(S(run, "cmd"), "run");
  EXPECT_EQ(run.line, 2);
  EXPECT_EQ(run.end_line, 6);
  EXPECT_EQ(I(run, "end_line"), 6);
  EXPECT_EQ(S(run, "value"), "apk add       curl       git");
  EXPECT_EQ(L(run, "args"), (Strs{"apk", "add", "curl", "git"}));
  EXPECT_EQ(S(run, "original"),
            "RUN apk add \\\n# a comment inside the continuation\n\n      curl \\   \n      git");
  ASSERT_EQ(At(run, "commands").items.size(), 1u);
  EXPECT_EQ(L(run, "commands.0.argv"), (Strs{"apk", "add", "curl", "git"}));
  EXPECT_EQ(At(d, "stages.0.instructions.2").line, 8);
}

TEST(MisconfigDockerfile, BacktickEscapeDirective) {
  const Value d = Dockerfile(
      "# escape=`\n"                     // 1
      "FROM mcr.microsoft.com/windows\n"  // 2
      "WORKDIR C:\\app\n"                 // 3
      "RUN dir `\n"                       // 4
      "    C:\\Windows\n"                 // 5
      "ENV P=C:\\x Q=`$HOME\n");          // 6
  EXPECT_EQ(S(d, "escape"), "`");
  EXPECT_EQ(S(d, "directives.escape"), "`");
  EXPECT_EQ(S(d, "stages.0.instructions.1.path"), "C:\\app");
  const Value& run = At(d, "stages.0.instructions.2");
  EXPECT_EQ(run.line, 4);
  EXPECT_EQ(run.end_line, 5);
  EXPECT_EQ(S(run, "value"), "dir     C:\\Windows");
  EXPECT_EQ(S(d, "stages.0.instructions.3.pairs.0.value"), "C:\\x");
  EXPECT_EQ(S(d, "stages.0.instructions.3.pairs.1.value"), "$HOME");
}

TEST(MisconfigDockerfile, BadEscapeDirectiveAndDuplicates) {
  std::vector<ParseProblem> problems;
  const Value d = Dockerfile("# escape=x\n# escape=`\nFROM a\n", &problems);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].line, 1);
  EXPECT_EQ(problems[1].line, 2);
  EXPECT_EQ(S(d, "escape"), "\\");
}

TEST(MisconfigDockerfile, ExecAndShellForms) {
  const Value d = Dockerfile(
      "FROM a\n"
      "CMD [\"nginx\", \"-g\", \"daemon off;\"]\n"
      "ENTRYPOINT /bin/run --flag\n"
      "RUN [ \"echo\", \"x\" ]\n"
      "RUN [not json\n"
      "SHELL [\"/bin/bash\", \"-c\"]\n"
      "VOLUME [\"/data\", \"/logs\"]\n"
      "VOLUME /a /b\n");
  EXPECT_TRUE(B(d, "stages.0.instructions.1.json"));
  EXPECT_EQ(L(d, "stages.0.instructions.1.args"), (Strs{"nginx", "-g", "daemon off;"}));
  EXPECT_EQ(L(d, "stages.0.instructions.1.commands.0.argv"), (Strs{"nginx", "-g", "daemon off;"}));
  EXPECT_FALSE(B(d, "stages.0.instructions.2.json"));
  EXPECT_EQ(L(d, "stages.0.instructions.2.commands.0.argv"), (Strs{"/bin/run", "--flag"}));
  EXPECT_TRUE(B(d, "stages.0.instructions.3.json"));
  EXPECT_FALSE(B(d, "stages.0.instructions.4.json"));
  EXPECT_EQ(L(d, "stages.0.instructions.5.args"), (Strs{"/bin/bash", "-c"}));
  EXPECT_EQ(L(d, "stages.0.instructions.6.args"), (Strs{"/data", "/logs"}));
  EXPECT_EQ(L(d, "stages.0.instructions.7.args"), (Strs{"/a", "/b"}));
}

TEST(MisconfigDockerfile, Flags) {
  const Value d = Dockerfile(
      "FROM a AS base\n"
      "FROM b\n"
      "COPY --from=base --chown=app:app --chmod=0755 --link src/ \"/dst dir/\"\n"
      "COPY --from=0 x y\n"
      "COPY --from=nginx:1.25 /etc/nginx /etc/nginx\n"
      "ADD --checksum=sha256:aa https://example.com/x.tgz /x\n"
      "RUN --mount=type=cache,target=/root/.cache,sharing=locked --mount=type=secret,id=npm,dst=/run/npmrc \\\n"
      "    --network=none --security=insecure make\n"
      "COPY --link=false a b\n");
  const Value& c = At(d, "stages.1.instructions.1");
  EXPECT_EQ(S(c, "from"), "base");
  EXPECT_EQ(I(c, "from_stage"), 0);
  EXPECT_EQ(S(c, "chown"), "app:app");
  EXPECT_EQ(S(c, "chmod"), "0755");
  EXPECT_TRUE(B(c, "link"));
  EXPECT_EQ(S(c, "flags.link"), "true");
  EXPECT_EQ(L(c, "sources"), (Strs{"src/"}));
  EXPECT_EQ(S(c, "dest"), "/dst dir/");
  EXPECT_EQ(I(d, "stages.1.instructions.2.from_stage"), 0);
  EXPECT_EQ(I(d, "stages.1.instructions.3.from_stage"), -1);
  EXPECT_EQ(S(d, "stages.1.instructions.3.from"), "nginx:1.25");
  EXPECT_EQ(S(d, "stages.1.instructions.4.flags.checksum"), "sha256:aa");
  EXPECT_EQ(L(d, "stages.1.instructions.4.sources"), (Strs{"https://example.com/x.tgz"}));
  const Value& run = At(d, "stages.1.instructions.5");
  ASSERT_EQ(At(run, "mounts").items.size(), 2u);
  EXPECT_EQ(S(run, "mounts.0.type"), "cache");
  EXPECT_EQ(S(run, "mounts.0.target"), "/root/.cache");
  EXPECT_EQ(S(run, "mounts.0.sharing"), "locked");
  EXPECT_EQ(S(run, "mounts.1.type"), "secret");
  EXPECT_EQ(S(run, "mounts.1.id"), "npm");
  EXPECT_EQ(S(run, "mounts.1.target"), "/run/npmrc");
  EXPECT_EQ(S(run, "network"), "none");
  EXPECT_EQ(S(run, "security"), "insecure");
  EXPECT_EQ(At(run, "flag_list").items.size(), 4u);
  EXPECT_EQ(At(run, "flag_list.2").line, 8);
  EXPECT_EQ(S(run, "value"), "make");
  EXPECT_FALSE(B(d, "stages.1.instructions.6.link"));
}

TEST(MisconfigDockerfile, Heredocs) {
  const Value d = Dockerfile(
      "FROM alpine\n"                                // 1
      "RUN <<EOF\n"                                  // 2
      "set -e\n"                                     // 3
      "apk add curl && rm -rf /var/cache/apk/*\n"    // 4
      "EOF\n"                                        // 5
      "COPY <<-EOT /etc/a <<\"EOT2\" /etc/b\n"        // 6
      "\t\tindented\n"                               // 7
      "\tEOT\n"                                      // 8
      "raw $HOME\n"                                  // 9
      "EOT2\n"                                       // 10
      "RUN python3 <<'PY'\n"                         // 11
      "print('x')\n"                                 // 12
      "PY\n"                                         // 13
      "RUN bash <<SH\n"                              // 14
      "echo a | tee b\n"                             // 15
      "SH\n"                                         // 16
      "USER 1000\n");                                // 17
  const Value& r = At(d, "stages.0.instructions.1");
  EXPECT_EQ(r.line, 2);
  EXPECT_EQ(r.end_line, 5);
  ASSERT_EQ(At(r, "heredocs").items.size(), 1u);
  EXPECT_EQ(S(r, "heredocs.0.delimiter"), "EOF");
  EXPECT_EQ(S(r, "heredocs.0.content"), "set -e\napk add curl && rm -rf /var/cache/apk/*\n");
  EXPECT_EQ(I(r, "heredocs.0.line"), 3);
  EXPECT_EQ(I(r, "heredocs.0.end_line"), 5);
  ASSERT_EQ(At(r, "commands").items.size(), 3u);
  EXPECT_EQ(L(r, "commands.0.argv"), (Strs{"set", "-e"}));
  EXPECT_EQ(I(r, "commands.0.line"), 3);
  EXPECT_EQ(L(r, "commands.2.argv"), (Strs{"rm", "-rf", "/var/cache/apk/*"}));
  EXPECT_EQ(S(r, "commands.2.after"), "&&");
  EXPECT_EQ(I(r, "commands.2.line"), 4);

  const Value& c = At(d, "stages.0.instructions.2");
  EXPECT_EQ(c.line, 6);
  EXPECT_EQ(c.end_line, 10);
  ASSERT_EQ(At(c, "heredocs").items.size(), 2u);
  EXPECT_EQ(S(c, "heredocs.0.content"), "indented\n");
  EXPECT_TRUE(B(c, "heredocs.0.strip_tabs"));
  EXPECT_FALSE(B(c, "heredocs.0.quoted"));
  EXPECT_EQ(S(c, "heredocs.1.delimiter"), "EOT2");
  EXPECT_EQ(S(c, "heredocs.1.content"), "raw $HOME\n");
  EXPECT_TRUE(B(c, "heredocs.1.quoted"));
  EXPECT_EQ(I(c, "heredocs.1.line"), 9);
  EXPECT_EQ(S(c, "dest"), "/etc/b");

  const Value& py = At(d, "stages.0.instructions.3");
  EXPECT_EQ(py.end_line, 13);
  ASSERT_EQ(At(py, "commands").items.size(), 1u);  // python's script is not shell
  EXPECT_EQ(L(py, "commands.0.argv"), (Strs{"python3", "<<PY"}));

  const Value& sh = At(d, "stages.0.instructions.4");
  ASSERT_EQ(At(sh, "commands").items.size(), 3u);
  EXPECT_EQ(L(sh, "commands.1.argv"), (Strs{"echo", "a"}));
  EXPECT_TRUE(B(sh, "commands.1.pipes_to_next"));
  EXPECT_EQ(I(sh, "commands.2.line"), 15);
  EXPECT_EQ(At(d, "stages.0.instructions.5").line, 17);
}

TEST(MisconfigDockerfile, UnterminatedHeredoc) {
  std::vector<ParseProblem> problems;
  const Value d = Dockerfile("FROM a\nRUN <<EOF\necho x\n", &problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].line, 2);
  EXPECT_EQ(S(d, "stages.0.instructions.1.heredocs.0.content"), "echo x\n");
}

TEST(MisconfigDockerfile, ShellCommands) {
  const Value d = Dockerfile(
      "FROM a\n"
      "RUN apt-get update && apt-get install -y --no-install-recommends curl \\\n"
      "    || echo 'failed; really' ; curl -fsSL \"https://x/y z\" | sh -s -- 2>&1 > /dev/null & \\\n"
      "    echo $(id -u) `whoami` ${HOME} # trailing comment\n");
  const Value& run = At(d, "stages.0.instructions.1");
  const Value& cmds = At(run, "commands");
  ASSERT_EQ(cmds.items.size(), 6u);
  EXPECT_EQ(L(run, "commands.0.argv"), (Strs{"apt-get", "update"}));
  EXPECT_EQ(S(run, "commands.0.after"), "");
  EXPECT_EQ(I(run, "commands.0.line"), 2);
  EXPECT_EQ(S(run, "commands.1.after"), "&&");
  EXPECT_EQ(L(run, "commands.2.argv"), (Strs{"echo", "failed; really"}));
  EXPECT_EQ(S(run, "commands.2.after"), "||");
  EXPECT_EQ(I(run, "commands.2.line"), 3);
  EXPECT_EQ(L(run, "commands.3.argv"), (Strs{"curl", "-fsSL", "https://x/y z"}));
  EXPECT_TRUE(B(run, "commands.3.pipes_to_next"));
  EXPECT_EQ(S(run, "commands.3.after"), ";");
  EXPECT_EQ(L(run, "commands.4.argv"), (Strs{"sh", "-s", "--", "2>&1", ">", "/dev/null"}));
  EXPECT_EQ(S(run, "commands.4.after"), "|");
  EXPECT_EQ(L(run, "commands.5.argv"), (Strs{"echo", "$(id -u)", "`whoami`", "${HOME}"}));
  EXPECT_EQ(S(run, "commands.5.after"), "&");
  EXPECT_EQ(I(run, "commands.5.line"), 4);
}

TEST(MisconfigDockerfile, SubstitutionAndArgScoping) {
  const Value d = Dockerfile(
      "ARG REG=docker.io\n"                       // 1
      "ARG TAG\n"                                 // 2
      "ARG PLAIN=1.0\n"                           // 3
      "FROM ${REG}/library/node:${TAG:-20} AS b\n"  // 4
      "ARG PLAIN\n"                               // 5
      "ARG LOCAL=x\n"                             // 6
      "ENV A=$LOCAL B=${PLAIN}-y C=\\$LOCAL D='$LOCAL'\n"  // 7
      "ENV E=${UNSET:-dflt} F=${LOCAL:+alt} G=${UNSET:+alt} H=${REG}\n"  // 8
      "WORKDIR /srv/$A\n"                         // 9
      "ENV A=changed B=$A\n"                      // 10
      "USER ${A}:grp\n"                           // 11
      "LABEL \"com.example.v\"=\"$PLAIN\" other=x\n"  // 12
      "ENV legacy value with words\n"             // 13
      "FROM b\n"                                  // 14
      "RUN echo $A $LOCAL\n"                      // 15
      "FROM --platform=$BUILDPLATFORM alpine\n"); // 16
  EXPECT_EQ(S(d, "stages.0.base.ref"), "docker.io/library/node:20");
  EXPECT_EQ(S(d, "stages.0.base.raw"), "${REG}/library/node:${TAG:-20}");
  EXPECT_EQ(S(d, "stages.0.base.tag"), "20");
  ASSERT_EQ(At(d, "args").items.size(), 3u);
  EXPECT_FALSE(B(d, "args.1.has_value"));
  EXPECT_EQ(S(d, "stages.0.instructions.1.pairs.0.value"), "1.0");  // re-declared global ARG
  const Value& env = At(d, "stages.0.instructions.3.pairs");
  EXPECT_EQ(S(env, "0.value"), "x");
  EXPECT_EQ(S(env, "1.value"), "1.0-y");
  EXPECT_EQ(S(env, "2.value"), "$LOCAL");
  EXPECT_EQ(S(env, "3.value"), "$LOCAL");
  const Value& env2 = At(d, "stages.0.instructions.4.pairs");
  EXPECT_EQ(S(env2, "0.value"), "dflt");
  EXPECT_EQ(S(env2, "1.value"), "alt");
  EXPECT_EQ(S(env2, "2.value"), "");
  EXPECT_EQ(S(env2, "3.value"), "");  // global ARG not re-declared in the stage
  EXPECT_EQ(S(d, "stages.0.instructions.5.path"), "/srv/x");
  EXPECT_EQ(S(d, "stages.0.instructions.5.expanded"), "/srv/x");
  EXPECT_EQ(S(d, "stages.0.instructions.6.pairs.1.value"), "x");  // the line sees the old A
  EXPECT_EQ(S(d, "stages.0.instructions.7.user"), "changed");
  EXPECT_EQ(S(d, "stages.0.instructions.7.group"), "grp");
  EXPECT_EQ(S(d, "stages.0.user"), "changed");
  EXPECT_EQ(S(d, "stages.0.instructions.8.pairs.0.key"), "com.example.v");
  EXPECT_EQ(S(d, "stages.0.instructions.8.pairs.0.value"), "1.0");
  EXPECT_EQ(S(d, "stages.0.instructions.9.pairs.0.key"), "legacy");
  EXPECT_EQ(S(d, "stages.0.instructions.9.pairs.0.value"), "value with words");
  // ENV is inherited by a stage built FROM an earlier stage; ARG is not.
  EXPECT_EQ(S(d, "stages.1.instructions.1.expanded"), "echo changed ");
  EXPECT_EQ(S(d, "stages.2.base.platform"), "$BUILDPLATFORM");
}

TEST(MisconfigDockerfile, OtherInstructions) {
  const Value d = Dockerfile(
      "FROM a\n"
      "EXPOSE 80 443/udp 8000-8010/tcp\n"
      "HEALTHCHECK --interval=30s --retries=3 CMD curl -f http://localhost/ || exit 1\n"
      "HEALTHCHECK NONE\n"
      "ONBUILD COPY --chown=1:1 . /app\n"
      "STOPSIGNAL SIGTERM\n"
      "MAINTAINER someone\n"
      "USER root\n");
  const Value& p = At(d, "stages.0.instructions.1.ports");
  ASSERT_EQ(p.items.size(), 3u);
  EXPECT_EQ(I(p, "0.port"), 80);
  EXPECT_EQ(S(p, "0.protocol"), "tcp");
  EXPECT_EQ(S(p, "1.protocol"), "udp");
  EXPECT_EQ(I(p, "2.port"), 8000);
  EXPECT_EQ(I(p, "2.end_port"), 8010);
  const Value& h = At(d, "stages.0.instructions.2");
  EXPECT_FALSE(B(h, "none"));
  EXPECT_EQ(S(h, "flags.interval"), "30s");
  EXPECT_EQ(S(h, "flags.retries"), "3");
  EXPECT_FALSE(B(h, "test.json"));
  EXPECT_EQ(S(h, "test.value"), "curl -f http://localhost/ || exit 1");
  EXPECT_TRUE(B(d, "stages.0.instructions.3.none"));
  const Value& ob = At(d, "stages.0.instructions.4");
  EXPECT_EQ(S(ob, "trigger.cmd"), "copy");
  EXPECT_EQ(S(ob, "trigger.chown"), "1:1");
  EXPECT_EQ(S(ob, "trigger.dest"), "/app");
  EXPECT_EQ(At(ob, "trigger").line, 5);
  EXPECT_EQ(S(d, "stages.0.instructions.5.value"), "SIGTERM");
  EXPECT_EQ(S(d, "stages.0.instructions.6.cmd"), "maintainer");
  EXPECT_EQ(S(d, "stages.0.user"), "root");
}

TEST(MisconfigDockerfile, ProblemsButStillADocument) {
  std::vector<ParseProblem> problems;
  const Value d = Dockerfile("RUN x\nFROM a\nFOO bar\nFROM b AS a2\nFROM c AS a2\n", &problems);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].line, 1);  // RUN before FROM
  EXPECT_EQ(problems[1].line, 3);  // unknown instruction
  EXPECT_EQ(problems[2].line, 5);  // duplicate stage name
  EXPECT_EQ(S(d, "stages.0.instructions.1.cmd"), "foo");
  EXPECT_EQ(I(d, "instructions.0.stage"), -1);
}

TEST(MisconfigDockerfile, CrlfAndBomAndEmpty) {
  const Value d = Dockerfile("\xEF\xBB\xBF" "FROM a\r\nRUN echo \\\r\n  x\r\n");
  EXPECT_EQ(S(d, "stages.0.instructions.1.value"), "echo   x");
  EXPECT_EQ(At(d, "stages.0.instructions.1").end_line, 3);
  const Value e = Dockerfile("");
  EXPECT_TRUE(At(e, "stages").items.empty());
  EXPECT_EQ(I(e, "final_stage"), -1);
}

// ---------------------------------------------------------------------------------------------------
// YAML

ParseResult Yaml(DocKind kind, const std::string& text) { return ParseConfig(kind, "f.yaml", text); }

TEST(MisconfigYaml, KeyLinesAndScalarTypes) {
  const ParseResult r = Yaml(DocKind::kKubernetes,
                             "# leading comment\n"          // 1
                             "apiVersion: v1\n"             // 2
                             "kind: Pod\n"                  // 3
                             "metadata:\n"                  // 4
                             "  name: web\n"                // 5
                             "spec:\n"                      // 6
                             "  containers:\n"              // 7
                             "  - name: c\n"                // 8
                             "    image: \"nginx\"\n"       // 9
                             "    securityContext:\n"       // 10
                             "      privileged: yes\n"      // 11
                             "      runAsUser: 0\n"         // 12
                             "      ratio: 1.5\n"           // 13
                             "      mode: 0644\n"           // 14
                             "      quoted: \"true\"\n"     // 15
                             "      empty:\n"               // 16
                             "      text: |\n"              // 17
                             "        a\n"                  // 18
                             "        b\n");                // 19
  ASSERT_EQ(r.documents.size(), 1u);
  const Document& doc = r.documents[0];
  EXPECT_EQ(doc.kind, DocKind::kKubernetes);
  EXPECT_EQ(doc.line, 2);
  const Value& v = doc.root;
  EXPECT_EQ(At(v, "apiVersion").line, 2);
  EXPECT_EQ(At(v, "apiVersion").column, 1);
  EXPECT_EQ(At(v, "metadata").line, 4);
  EXPECT_EQ(At(v, "metadata").end_line, 5);
  EXPECT_EQ(At(v, "spec.containers").line, 7);
  EXPECT_EQ(At(v, "spec.containers.0").line, 8);
  EXPECT_EQ(At(v, "spec.containers.0.image").line, 9);
  const Value& sc = At(v, "spec.containers.0.securityContext");
  EXPECT_EQ(sc.line, 10);
  EXPECT_EQ(At(sc, "privileged").kind, Value::Kind::kBool);
  EXPECT_TRUE(B(sc, "privileged"));
  EXPECT_EQ(At(sc, "privileged").line, 11);
  EXPECT_EQ(At(sc, "privileged").column, 7);
  EXPECT_EQ(At(sc, "runAsUser").kind, Value::Kind::kInt);
  EXPECT_EQ(At(sc, "ratio").kind, Value::Kind::kDouble);
  EXPECT_EQ(I(sc, "mode"), 0644);
  EXPECT_EQ(At(sc, "quoted").kind, Value::Kind::kString);
  EXPECT_EQ(At(sc, "empty").kind, Value::Kind::kNull);
  EXPECT_EQ(S(sc, "text"), "a\nb\n");
  EXPECT_EQ(At(sc, "text").line, 17);
  EXPECT_EQ(sc.end_line, 19);
}

TEST(MisconfigYaml, MultiDocumentAndListExpansion) {
  const ParseResult r = Yaml(DocKind::kKubernetes,
                             "apiVersion: v1\n"        // 1
                             "kind: Service\n"         // 2
                             "---\n"                   // 3
                             "# nothing\n"             // 4
                             "---\n"                   // 5
                             "not: kubernetes\n"       // 6
                             "---\n"                   // 7
                             "apiVersion: v1\n"        // 8
                             "kind: List\n"            // 9
                             "items:\n"                // 10
                             "- apiVersion: v1\n"      // 11
                             "  kind: ConfigMap\n"     // 12
                             "- apiVersion: apps/v1\n"  // 13
                             "  kind: Deployment\n"    // 14
                             "---\n"                   // 15
                             "{\"apiVersion\": \"v1\", \"kind\": \"Secret\"}\n");  // 16
  ASSERT_EQ(r.documents.size(), 4u);
  EXPECT_TRUE(r.problems.empty());
  EXPECT_EQ(S(r.documents[0].root, "kind"), "Service");
  EXPECT_EQ(r.documents[0].line, 1);
  EXPECT_EQ(S(r.documents[1].root, "kind"), "ConfigMap");
  EXPECT_EQ(r.documents[1].line, 11);
  EXPECT_EQ(r.documents[1].index, 1);
  EXPECT_EQ(S(r.documents[2].root, "kind"), "Deployment");
  EXPECT_EQ(r.documents[2].line, 13);
  EXPECT_EQ(r.documents[2].index, 2);
  EXPECT_EQ(S(r.documents[3].root, "kind"), "Secret");
  EXPECT_EQ(r.documents[3].line, 16);
  EXPECT_EQ(r.documents[3].index, 3);
}

TEST(MisconfigYaml, AliasesAndMergeKeys) {
  const ParseResult r = Yaml(DocKind::kCompose,
                             "x-common: &common\n"     // 1
                             "  restart: always\n"     // 2
                             "  privileged: true\n"    // 3
                             "services:\n"             // 4
                             "  web:\n"                // 5
                             "    <<: *common\n"       // 6
                             "    privileged: false\n"  // 7
                             "    image: nginx\n"      // 8
                             "  db:\n"                 // 9
                             "    settings: *common\n");  // 10
  ASSERT_EQ(r.documents.size(), 1u);
  const Value& v = r.documents[0].root;
  EXPECT_EQ(r.documents[0].kind, DocKind::kCompose);
  EXPECT_EQ(S(v, "services.web.restart"), "always");
  EXPECT_FALSE(B(v, "services.web.privileged"));
  EXPECT_EQ(At(v, "services.web.privileged").line, 7);
  EXPECT_EQ(At(v, "services.web").Find("<<"), nullptr);
  EXPECT_EQ(S(v, "services.db.settings.restart"), "always");
  EXPECT_EQ(At(v, "services.db.settings").line, 10);
}

TEST(MisconfigYaml, AliasBombIsRejected) {
  std::string y = "a: &a [x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    y += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 9; ++i) y += std::string(i ? ", *" : "*") + static_cast<char>(c - 1);
    y += "]\n";
  }
  const ParseResult r = Yaml(DocKind::kCompose, y + "services: {}\n");
  EXPECT_TRUE(r.documents.empty());
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_NE(r.problems[0].message.find("alias bomb"), std::string::npos);
}

TEST(MisconfigYaml, DeepNestingAndBrokenYamlAreProblems) {
  const ParseResult deep = Yaml(DocKind::kKubernetes, "apiVersion: v1\nkind: X\na: " + std::string(5000, '[') + "\n");
  EXPECT_TRUE(deep.documents.empty());
  ASSERT_EQ(deep.problems.size(), 1u);
  EXPECT_EQ(deep.problems[0].line, 3);

  std::string block = "apiVersion: v1\nkind: X\n";
  for (int i = 0; i < 300; ++i) block += std::string(static_cast<size_t>(i) * 2, ' ') + "k:\n";
  const ParseResult deep2 = Yaml(DocKind::kKubernetes, block);
  EXPECT_TRUE(deep2.documents.empty());
  ASSERT_EQ(deep2.problems.size(), 1u);

  const ParseResult bad = Yaml(DocKind::kKubernetes, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [x\n");
  EXPECT_TRUE(bad.documents.empty());
  ASSERT_EQ(bad.problems.size(), 1u);
  EXPECT_GT(bad.problems[0].line, 3);
  EXPECT_EQ(bad.problems[0].path, "f.yaml");
  // Invalid YAML on which yaml-cpp 0.7 never returns: refused before it sees it.
  for (const std::string text : {"[1],", "{\"a\":1}\n,", "\"x\",", "services: {}\n{a: 1}, b"}) {
    const ParseResult hang = Yaml(DocKind::kCompose, text);
    EXPECT_TRUE(hang.documents.empty()) << text;
    EXPECT_EQ(hang.problems.size(), 1u) << text;
  }
  // ... while quotes and brackets inside plain scalars stay fine.
  const ParseResult plain = Yaml(DocKind::kCompose, "services:\n  a: x[1], y\n  b: say \"hi\", ok\n  c: [1, \"2\"]\n");
  ASSERT_EQ(plain.documents.size(), 1u);
  EXPECT_EQ(S(plain.documents[0].root, "services.a"), "x[1], y");
  EXPECT_EQ(S(plain.documents[0].root, "services.b"), "say \"hi\", ok");
  const ParseResult bad2 = Yaml(DocKind::kCompose, "services:\n  a: b\n   c: d\n");
  ASSERT_EQ(bad2.problems.size(), 1u);
  EXPECT_EQ(bad2.problems[0].line, 3);
}

// Structure equality with PyYAML (python3-yaml), values and key order ignored only where JSON loses them.
nlohmann::json ToJson(const Value& v) {
  switch (v.kind) {
    case Value::Kind::kNull: return nullptr;
    case Value::Kind::kBool: return v.b;
    case Value::Kind::kInt: return v.i;
    case Value::Kind::kDouble: return v.d;
    case Value::Kind::kString: return v.s;
    case Value::Kind::kList: {
      nlohmann::json a = nlohmann::json::array();
      for (const Value& e : v.items) a.push_back(ToJson(e));
      return a;
    }
    case Value::Kind::kMap: {
      nlohmann::json o = nlohmann::json::object();
      for (size_t k = 0; k < v.keys.size(); ++k) o[v.keys[k]] = ToJson(v.items[k]);
      return o;
    }
  }
  return nullptr;
}

TEST(MisconfigYaml, SameTreesAsPyYaml) {
  if (std::system("python3 -c 'import yaml' >/dev/null 2>&1") != 0) GTEST_SKIP() << "python3-yaml not installed";
  const std::vector<std::string> files = {
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: {app: web, tier: \"1\"}\n"
      "spec:\n  replicas: 3\n  template:\n    spec:\n      hostNetwork: yes\n      containers:\n"
      "      - name: c\n        image: nginx:1.25\n        args: [\"--port\", 8080, -1.5, null, ~, off]\n"
      "        resources: {limits: {cpu: 500m, memory: 1Gi}}\n        volumeMounts: &vm\n"
      "        - {name: d, mountPath: /d, readOnly: true}\n      - name: side\n        image: busybox\n"
      "        volumeMounts: *vm\n        env:\n        - name: X\n          value: |\n            multi\n"
      "            line\n      volumes:\n      - name: d\n        secret: {secretName: s, defaultMode: 0400}\n",
      "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"p\"},\n"
      " \"spec\": {\"containers\": [{\"name\": \"a\", \"image\": \"x\", \"ports\": [{\"containerPort\": 80}],\n"
      " \"securityContext\": {\"runAsNonRoot\": false, \"capabilities\": {\"add\": [\"NET_ADMIN\"]}}}]}}\n",
      "apiVersion: v1\nkind: ConfigMap\ndata:\n  base: &b {a: 1, b: 2}\n  derived:\n    <<: *b\n    b: 3\n"
      "  hex: 0x1f\n  exp: 1.5e+3\n  str: 'quoted: yes'\n  folded: >\n    one\n    two\n"};
  int n = 0;
  for (const std::string& text : files) {
    const std::filesystem::path tmp =
        std::filesystem::temp_directory_path() / ("customs_mf_" + std::to_string(::getpid()) + "_" + std::to_string(n++));
    std::ofstream(tmp) << text;
    const std::string cmd = "python3 -c 'import sys,json,yaml; print(json.dumps(list(yaml.safe_load_all(open(sys.argv[1])))))' " +
                            tmp.string();
    std::string out;
    if (FILE* p = popen(cmd.c_str(), "r")) {
      char buf[4096];
      size_t got;
      while ((got = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, got);
      pclose(p);
    }
    std::filesystem::remove(tmp);
    const nlohmann::json expected = nlohmann::json::parse(out);
    const ParseResult r = Yaml(DocKind::kKubernetes, text);
    ASSERT_EQ(r.documents.size(), expected.size()) << text;
    for (size_t i = 0; i < r.documents.size(); ++i) EXPECT_EQ(ToJson(r.documents[i].root), expected[i]) << text;
  }
}

// ---------------------------------------------------------------------------------------------------
// Detection, image config

TEST(MisconfigDetect, Table) {
  struct Row {
    const char* path;
    const char* content;
    bool detected;
    DocKind kind;
  };
  const Row rows[] = {
      {"Dockerfile", "", true, DocKind::kDockerfile},
      {"a/b/Containerfile", "", true, DocKind::kDockerfile},
      {"build/api.Dockerfile", "", true, DocKind::kDockerfile},
      {"Dockerfile.dev", "", true, DocKind::kDockerfile},
      {"dockerfile", "", true, DocKind::kDockerfile},
      {"Dockerfile-notes.txt", "", false, DocKind::kDockerfile},
      {"compose.yaml", "", true, DocKind::kCompose},
      {"x/docker-compose.yml", "", true, DocKind::kCompose},
      {"docker-compose.prod.yml", "", true, DocKind::kCompose},
      {"stack.yml", "version: '3'\nservices:\n  a: {image: x}\n", true, DocKind::kCompose},
      {"k8s/app.yaml", "apiVersion: v1\nkind: Pod\n", true, DocKind::kKubernetes},
      {"k8s/app.yml", "---\n# c\n\"apiVersion\": v1\nkind: List\nitems: []\n", true, DocKind::kKubernetes},
      {"pod.json", "{\"kind\": \"Pod\", \"apiVersion\": \"v1\"}", true, DocKind::kKubernetes},
      {"chart/templates/dep.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n",
       false, DocKind::kKubernetes},
      {"values.yaml", "replicaCount: 1\nimage: {repository: x}\n", false, DocKind::kKubernetes},
      {"nested.yaml", "spec:\n  apiVersion: v1\n  kind: Pod\n", false, DocKind::kKubernetes},
      {"package.json", "{\"name\": \"x\"}", false, DocKind::kKubernetes},
      {"main.go", "apiVersion: v1\nkind: Pod\n", false, DocKind::kKubernetes},
  };
  for (const Row& row : rows) {
    DocKind k = DocKind::kImageConfig;
    EXPECT_EQ(DetectKind(row.path, row.content, k), row.detected) << row.path;
    if (row.detected) EXPECT_EQ(k, row.kind) << row.path;
  }
  EXPECT_TRUE(ParseAny("chart/templates/dep.yaml", "kind: Pod\napiVersion: v1\nx: {{ y }}\n").documents.empty());
  EXPECT_TRUE(ParseAny("chart/templates/dep.yaml", "kind: Pod\napiVersion: v1\nx: {{ y }}\n").problems.empty());
  EXPECT_EQ(ParseAny("Dockerfile", "FROM a\n").documents.size(), 1u);
}

TEST(MisconfigDetect, KindNames) {
  for (DocKind k : {DocKind::kDockerfile, DocKind::kKubernetes, DocKind::kCompose, DocKind::kImageConfig}) {
    DocKind back;
    ASSERT_TRUE(ParseDocKind(DocKindName(k), back));
    EXPECT_EQ(back, k);
  }
  EXPECT_EQ(DocKindName(DocKind::kImageConfig), "imageconfig");
  DocKind k;
  EXPECT_TRUE(ParseDocKind("K8S", k));
  EXPECT_EQ(k, DocKind::kKubernetes);
  EXPECT_FALSE(ParseDocKind("terraform", k));
}

TEST(MisconfigImageConfig, KeepsJsonAndAddsEnv) {
  const ParseResult r = ParseImageConfig(
      R"({"architecture":"amd64","os":"linux","config":{"User":"","Env":["PATH=/usr/bin","A=b=c","EMPTY"],
          "Cmd":["nginx"],"ExposedPorts":{"80/tcp":{}},"Healthcheck":{"Test":["CMD-SHELL","curl x"],"Interval":30000000000}},
          "history":[{"created_by":"/bin/sh -c #(nop) ADD file:abc in / "},{"created_by":"RUN x","empty_layer":true}],
          "rootfs":{"type":"layers","diff_ids":["sha256:1"]}})");
  ASSERT_EQ(r.documents.size(), 1u);
  const Document& d = r.documents[0];
  EXPECT_EQ(d.kind, DocKind::kImageConfig);
  EXPECT_EQ(d.path, "image-config");
  EXPECT_EQ(d.line, 0);
  EXPECT_EQ(S(d.root, "config.User"), "");
  EXPECT_EQ(L(d.root, "config.Env"), (Strs{"PATH=/usr/bin", "A=b=c", "EMPTY"}));
  EXPECT_EQ(I(d.root, "config.Healthcheck.Interval"), 30000000000);
  EXPECT_EQ(S(d.root, "config.Healthcheck.Test.0"), "CMD-SHELL");
  EXPECT_TRUE(B(d.root, "history.1.empty_layer"));
  EXPECT_EQ(S(d.root, "env.PATH"), "/usr/bin");
  EXPECT_EQ(S(d.root, "env.A"), "b=c");
  EXPECT_EQ(S(d.root, "env.EMPTY"), "");
  EXPECT_NE(At(d.root, "config.ExposedPorts").Find("80/tcp"), nullptr);
  EXPECT_EQ(At(d.root, "config").line, 0);

  const ParseResult empty = ParseImageConfig("{}");
  ASSERT_EQ(empty.documents.size(), 1u);
  EXPECT_TRUE(At(empty.documents[0].root, "env").is_map());
  EXPECT_TRUE(At(empty.documents[0].root, "env").keys.empty());
}

TEST(MisconfigImageConfig, BadJsonIsAProblem) {
  for (const std::string& bad : std::vector<std::string>{"", "{", "[1,2]", "\"x\"", std::string(100000, '[')}) {
    const ParseResult r = ParseImageConfig(bad);
    EXPECT_TRUE(r.documents.empty());
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(r.problems[0].path, "image-config");
  }
}

}  // namespace
}  // namespace customs::misconfig
