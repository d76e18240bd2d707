// The check language (src/misconfig/lang/): a CEL subset. Expressions are evaluated against a small
// hand-built document tree and their values compared in CEL's own notation (lang::Debug); errors are
// checked for their column; && / || and all() / exists() for CEL's error absorption.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "misconfig/lang/functions.h"
#include "misconfig/lang/program.h"
#include "misconfig/value.h"
#include "support/fixtures.h"

namespace customs::misconfig::lang {
namespace {

// A Pod-like tree; every node has the line it would have in a YAML file.
Value Pod() {
  Value root = Value::Map(1);
  root.Set("apiVersion", Value::String("v1", 1));
  root.Set("kind", Value::String("Pod", 2));
  Value& meta = root.Set("metadata", Value::Map(3));
  meta.Set("name", Value::String("web", 4));
  Value& labels = meta.Set("labels", Value::Map(5));
  labels.Set("app", Value::String("web", 6));
  Value& spec = root.Set("spec", Value::Map(7));
  spec.Set("hostNetwork", Value::Bool(true, 8));
  Value& cs = spec.Set("containers", Value::List(9));
  Value& c1 = cs.Push(Value::Map(10));
  c1.Set("name", Value::String("app", 10));
  c1.Set("image", Value::String("nginx:1.25", 11));
  Value& sc = c1.Set("securityContext", Value::Map(12));
  sc.Set("privileged", Value::Bool(true, 13));
  Value& ports = c1.Set("ports", Value::List(14));
  Value& p = ports.Push(Value::Map(15));
  p.Set("containerPort", Value::Int(80, 15));
  Value& c2 = cs.Push(Value::Map(16));
  c2.Set("name", Value::String("sidecar", 16));
  c2.Set("image", Value::String("busybox", 17));
  spec.Set("replicas", Value::Double(2.5, 18));
  spec.Set("nothing", Value::Null(19));
  return root;
}

const Value& Doc() {
  static const Value doc = Pod();
  return doc;
}

std::string Eval(const std::string& expr) {
  try {
    return Debug(EvalExpression(expr, Doc()));
  } catch (const CompileError& e) {
    return "compile error at column " + std::to_string(e.pos + 1) + ": " + e.what();
  }
}

// The column of the compile error, or 0 when the expression compiles.
size_t ErrorColumn(const std::string& expr, std::string* message = nullptr) {
  try {
    Compile(expr, Env{});
  } catch (const CompileError& e) {
    if (message) *message = e.what();
    return e.pos + 1;
  }
  return 0;
}

bool IsError(const std::string& expr, const std::string& containing = "") {
  const std::string r = Eval(expr);
  return r.rfind("error(", 0) == 0 && r.find(containing) != std::string::npos;
}

TEST(MisconfigLang, Literals) {
  EXPECT_EQ(Eval("1"), "1");
  EXPECT_EQ(Eval("-1"), "-1");
  EXPECT_EQ(Eval("0x1F"), "31");
  EXPECT_EQ(Eval("1u"), "1u");
  EXPECT_EQ(Eval("18446744073709551615u"), "18446744073709551615u");
  EXPECT_EQ(Eval("-9223372036854775808"), "-9223372036854775808");
  EXPECT_EQ(Eval("1.5"), "1.5");
  EXPECT_EQ(Eval("1e3"), "1000.0");
  EXPECT_EQ(Eval("true"), "true");
  EXPECT_EQ(Eval("null"), "null");
  EXPECT_EQ(Eval(R"("a\tb\"c")"), R"("a\tb\"c")");
  EXPECT_EQ(Eval(R"('it\'s')"), R"("it's")");
  EXPECT_EQ(Eval(R"(r"a\d+")"), R"("a\\d+")");
  EXPECT_EQ(Eval(R"("\u00e9" == "é")"), "true");
  EXPECT_EQ(Eval(R"("\x41\101\U0001F600" == "AA😀")"), "true");
  EXPECT_EQ(Eval(R"("""multi
line""")"), R"("multi\nline")");
  EXPECT_EQ(Eval(R"(b"\xff\x00")"), R"(b"\xff\x00")");
  EXPECT_EQ(Eval("[1, 'a', [true],]"), R"([1, "a", [true]])");
  EXPECT_EQ(Eval("{'a': 1, 2: 'b', true: null}"), R"({"a": 1, 2: "b", true: null})");
  EXPECT_EQ(Eval("// comment\n 1 + // more\n 2"), "3");
}

TEST(MisconfigLang, Arithmetic) {
  EXPECT_EQ(Eval("1 + 2 * 3 - 4 / 2"), "5");
  EXPECT_EQ(Eval("7 % 3"), "1");
  EXPECT_EQ(Eval("-7 / 2"), "-3");
  EXPECT_EQ(Eval("-7 % 2"), "-1");
  EXPECT_EQ(Eval("2u * 3u"), "6u");
  EXPECT_EQ(Eval("1.5 * 2.0"), "3.0");
  EXPECT_EQ(Eval("'ab' + 'cd'"), R"("abcd")");
  EXPECT_EQ(Eval("[1] + [2, 3]"), "[1, 2, 3]");
  EXPECT_EQ(Eval("--1"), "1");
  EXPECT_EQ(Eval("!!true"), "true");
  EXPECT_TRUE(IsError("1 / 0", "division by zero (column 3)"));
  EXPECT_TRUE(IsError("1 % 0", "modulus by zero"));
  EXPECT_TRUE(IsError("9223372036854775807 + 1", "integer overflow"));
  EXPECT_TRUE(IsError("-9223372036854775808 / -1", "integer overflow"));
  EXPECT_TRUE(IsError("0u - 1u", "unsigned integer overflow"));
  EXPECT_TRUE(IsError("1 + 1.0", "no such overload: int + double"));
  EXPECT_TRUE(IsError("1 + 'a'", "no such overload"));
  EXPECT_TRUE(IsError("-'a'", "no such overload"));
  EXPECT_EQ(Eval("1.0 / 0.0 > 1e308"), "true");
}

TEST(MisconfigLang, ComparisonAndEquality) {
  EXPECT_EQ(Eval("1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 3"), "true");
  EXPECT_EQ(Eval("'a' < 'b'"), "true");
  EXPECT_EQ(Eval("1 == 1.0"), "true");  // heterogeneous numeric equality
  EXPECT_EQ(Eval("1u == 1"), "true");
  EXPECT_EQ(Eval("-1 < 1u"), "true");
  EXPECT_EQ(Eval("2 > 1.5"), "true");
  EXPECT_EQ(Eval("9223372036854775807 < 9223372036854775808.0"), "true");
  EXPECT_EQ(Eval("1 == 'a'"), "false");  // other types: unequal, not an error
  EXPECT_EQ(Eval("null == null"), "true");
  EXPECT_EQ(Eval("[1, 'a'] == [1, 'a']"), "true");
  EXPECT_EQ(Eval("{'a': 1, 'b': 2} == {'b': 2, 'a': 1}"), "true");
  EXPECT_EQ(Eval("{'a': 1} != {'a': 2}"), "true");
  EXPECT_EQ(Eval("2 in [1, 2]"), "true");
  EXPECT_EQ(Eval("'app' in object.metadata.labels"), "true");
  EXPECT_EQ(Eval("'x' in object.metadata.labels"), "false");
  EXPECT_TRUE(IsError("1 < 'a'", "no such overload: int < string"));
  EXPECT_TRUE(IsError("1 in 2", "no such overload"));
}

TEST(MisconfigLang, LogicAbsorbsErrors) {
  EXPECT_EQ(Eval("false && 1 / 0 == 1"), "false");
  EXPECT_EQ(Eval("1 / 0 == 1 && false"), "false");  // commutative: CEL absorbs on either side
  EXPECT_EQ(Eval("true || object.nope"), "true");
  EXPECT_EQ(Eval("object.nope || true"), "true");
  EXPECT_TRUE(IsError("true && object.nope", "no such key: 'nope' (column 16)"));
  EXPECT_TRUE(IsError("object.nope || false", "no such key"));
  EXPECT_TRUE(IsError("1 && true", "no such overload"));
  EXPECT_EQ(Eval("1 && false"), "false");
  EXPECT_EQ(Eval("true ? 1 : 1 / 0"), "1");
  EXPECT_TRUE(IsError("1 ? 1 : 2", "condition is int"));
  EXPECT_TRUE(IsError("!1", "no such overload"));
}

TEST(MisconfigLang, DocumentAccess) {
  EXPECT_EQ(Eval("object.kind"), R"("Pod")");
  EXPECT_EQ(Eval("object.metadata.labels['app']"), R"("web")");
  EXPECT_EQ(Eval("object.spec.containers[1].name"), R"("sidecar")");
  EXPECT_EQ(Eval("object.spec.containers[1u].name"), R"("sidecar")");
  EXPECT_EQ(Eval("object['spec']['hostNetwork']"), "true");
  EXPECT_EQ(Eval("object.spec.replicas"), "2.5");
  EXPECT_EQ(Eval("object.spec.nothing"), "null");
  EXPECT_TRUE(IsError("object.spec.containers[2]", "index out of range: 2"));
  EXPECT_TRUE(IsError("object.spec.containers[-1]", "index out of range"));
  EXPECT_TRUE(IsError("object.spec.containers['a']", "no such overload"));
  EXPECT_TRUE(IsError("object.kind.x", "cannot select field 'x' from string"));
  EXPECT_TRUE(IsError("object.missing", "no such key: 'missing' (column 8)"));
  EXPECT_EQ(Eval("has(object.spec)"), "true");
  EXPECT_EQ(Eval("has(object.spec.volumes)"), "false");
  EXPECT_EQ(Eval("has(object.spec.nothing)"), "true");  // present with a null value
  EXPECT_TRUE(IsError("has(object.kind.x)", "has() cannot test field 'x' of string"));
  EXPECT_TRUE(IsError("has(object.nope.x)", "no such key: 'nope'"));
  EXPECT_EQ(Eval("{'a': {'b': 1}}.a.b"), "1");
  EXPECT_EQ(Eval("has({'a': 1}.a)"), "true");
}

TEST(MisconfigLang, DocumentValuesKeepTheirLines) {
  const Value& doc = Doc();
  Val v = EvalExpression("object.spec.containers.filter(c, has(c.securityContext))", doc);
  ASSERT_EQ(v.kind, Val::Kind::kList);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v.at(0).line, 10);
  EXPECT_EQ(EvalExpression("object.spec.containers[0].securityContext.privileged", doc).line, 13);
  EXPECT_EQ(EvalExpression("object.spec.containers[0].image", doc).line, 11);
  // No copy: a selected string is a view of the document's own string.
  EXPECT_EQ(EvalExpression("object.spec.containers[0].image", doc).str().data(),
            doc.Find("spec")->Find("containers")->items[0].Find("image")->s.data());
  EXPECT_EQ(EvalExpression("object.metadata.name + ''", doc).line, 0);  // computed
  EXPECT_EQ(EvalExpression("[1]", doc).line, 0);
}

TEST(MisconfigLang, Macros) {
  EXPECT_EQ(Eval("[1, 2, 3].all(x, x > 0)"), "true");
  EXPECT_EQ(Eval("[1, 2, 3].all(x, x > 1)"), "false");
  EXPECT_EQ(Eval("[1, 2, 3].exists(x, x == 2)"), "true");
  EXPECT_EQ(Eval("[].exists(x, x == 2)"), "false");
  EXPECT_EQ(Eval("[].all(x, x == 2)"), "true");
  EXPECT_EQ(Eval("[1, 2, 3].exists_one(x, x > 2)"), "true");
  EXPECT_EQ(Eval("[1, 2, 3].exists_one(x, x > 1)"), "false");
  EXPECT_EQ(Eval("[1, 2, 3].map(x, x * 2)"), "[2, 4, 6]");
  EXPECT_EQ(Eval("[1, 2, 3].map(x, x > 1, x * 10)"), "[20, 30]");
  EXPECT_EQ(Eval("[1, 2, 3].filter(x, x % 2 == 1)"), "[1, 3]");
  EXPECT_EQ(Eval("{'a': 1, 'b': 2}.map(k, k)"), R"(["a", "b"])");
  EXPECT_EQ(Eval("object.metadata.labels.all(k, object.metadata.labels[k] == 'web')"), "true");
  EXPECT_EQ(Eval("object.spec.containers.map(c, c.name)"), R"(["app", "sidecar"])");
  EXPECT_EQ(Eval("object.spec.containers.exists(c, c.securityContext.privileged)"), "true");  // error absorbed
  EXPECT_EQ(Eval("[[1, 2], [3]].map(x, x.map(y, y + 1))"), "[[2, 3], [4]]");
  EXPECT_EQ(Eval("[1, 2].exists(x, [3].exists(y, x + y == 5))"), "true");
  // all/exists absorb errors when another element decides; otherwise the error stays.
  EXPECT_EQ(Eval("[0, 1].all(x, 1 / x > 5)"), "false");
  EXPECT_TRUE(IsError("[0, 1].all(x, 1 / x > 0)", "division by zero"));
  EXPECT_EQ(Eval("[0, 1].exists(x, 1 / x == 1)"), "true");
  EXPECT_TRUE(IsError("[0, 1].exists_one(x, 1 / x == 1)", "division by zero"));
  EXPECT_TRUE(IsError("[0, 1].map(x, 1 / x)", "division by zero"));
  EXPECT_TRUE(IsError("[1].all(x, x)", "predicate is int, not bool"));
  EXPECT_TRUE(IsError("1.all(x, true)", "cannot iterate over int"));
  std::string msg;
  EXPECT_EQ(ErrorColumn("[1].all(1, true)", &msg), 9u);
  EXPECT_NE(msg.find("simple name"), std::string::npos);
  EXPECT_EQ(ErrorColumn("[1].map(x)", &msg), 5u);
  EXPECT_EQ(ErrorColumn("has(object)", &msg), 5u);
  EXPECT_EQ(ErrorColumn("[1].all(x, y)"), 12u);  // y undeclared
  EXPECT_EQ(ErrorColumn("[1].all(x, x) && x"), 18u);  // x out of scope
}

TEST(MisconfigLang, Optionals) {
  EXPECT_EQ(Eval("object.?spec.?hostNetwork.orValue(false)"), "true");
  EXPECT_EQ(Eval("object.?spec.?hostPID.orValue(false)"), "false");
  EXPECT_EQ(Eval("object.?nope.?a.?b.orValue(7)"), "7");
  EXPECT_EQ(Eval("object.?nope.a.b.orValue(7)"), "7");  // selection on an optional stays optional
  EXPECT_EQ(Eval("object.?spec.hostNetwork.orValue(false)"), "true");
  EXPECT_EQ(Eval("object.?spec.hostNetwork.hasValue()"), "true");
  EXPECT_EQ(Eval("object.?x.hasValue()"), "false");
  EXPECT_EQ(Eval("object.?kind.value()"), R"("Pod")");
  EXPECT_TRUE(IsError("object.?x.value()", "optional.none()"));
  EXPECT_EQ(Eval("object.spec.containers[?5].orValue('none')"), R"("none")");
  EXPECT_EQ(Eval("object.spec.containers[?0].name.value()"), R"("app")");
  EXPECT_EQ(Eval("object.metadata.labels[?'app']"), R"(optional.of("web"))");
  EXPECT_EQ(Eval("optional.of(1).or(optional.of(2))"), "optional.of(1)");
  EXPECT_EQ(Eval("optional.none().or(optional.of(2))"), "optional.of(2)");
  EXPECT_EQ(Eval("optional.ofNonZeroValue('')"), "optional.none()");
  EXPECT_EQ(Eval("object.spec.containers.map(c, c.?securityContext.?privileged.orValue(false))"), "[true, false]");
  EXPECT_TRUE(IsError("object.kind.?x", "cannot select field"));
  EXPECT_EQ(Eval("has(object.?spec.hostNetwork)"), "true");
}

TEST(MisconfigLang, StringFunctions) {
  EXPECT_EQ(Eval("size('héllo')"), "5");  // code points
  EXPECT_EQ(Eval("'héllo'.size()"), "5");
  EXPECT_EQ(Eval("size(b'h\\xc3\\xa9')"), "3");
  EXPECT_EQ(Eval("size([1, 2])"), "2");
  EXPECT_EQ(Eval("size(object.metadata.labels)"), "1");
  EXPECT_EQ(Eval("'nginx:latest'.endsWith(':latest')"), "true");
  EXPECT_EQ(Eval("'nginx:latest'.startsWith('nginx')"), "true");
  EXPECT_EQ(Eval("'nginx:latest'.contains('x:l')"), "true");
  EXPECT_EQ(Eval("'AbC'.lowerAscii()"), R"("abc")");
  EXPECT_EQ(Eval("'AbC'.upperAscii()"), R"("ABC")");
  EXPECT_EQ(Eval("'a,b,,c'.split(',')"), R"(["a", "b", "", "c"])");
  EXPECT_EQ(Eval("'a,b,c'.split(',', 2)"), R"(["a", "b,c"])");
  EXPECT_EQ(Eval("'a,b,c'.split(',', 0)"), "[]");
  EXPECT_EQ(Eval("'ab'.split('')"), R"(["a", "b"])");
  EXPECT_EQ(Eval("['a', 'b'].join('-')"), R"("a-b")");
  EXPECT_EQ(Eval("['a', 'b'].join()"), R"("ab")");
  EXPECT_TRUE(IsError("['a', 1].join()", "element 1 is int"));
  EXPECT_EQ(Eval("'  a b \\t\\n'.trim()"), R"("a b")");
  EXPECT_EQ(Eval("'aaa'.replace('a', 'b')"), R"("bbb")");
  EXPECT_EQ(Eval("'aaa'.replace('a', 'b', 2)"), R"("bba")");
  EXPECT_EQ(Eval("'héllo'.indexOf('l')"), "2");
  EXPECT_EQ(Eval("'héllo'.indexOf('l', 3)"), "3");
  EXPECT_EQ(Eval("'héllo'.indexOf('z')"), "-1");
  EXPECT_EQ(Eval("'héllo'.lastIndexOf('l')"), "3");
  EXPECT_EQ(Eval("[1, 2, 3].sum()"), "6");
  EXPECT_EQ(Eval("[1.5, 2.0].sum()"), "3.5");
  EXPECT_EQ(Eval("[].sum()"), "0");
  EXPECT_TRUE(IsError("[1, 2.0].sum()", "numbers of one type"));
  EXPECT_EQ(Eval("[3, 1, 2].min()"), "1");
  EXPECT_EQ(Eval("[3, 1, 2].max()"), "3");
  EXPECT_EQ(Eval("['b', 'a'].min()"), R"("a")");
  EXPECT_TRUE(IsError("[].max()", "empty list"));
  EXPECT_EQ(EvalExpression("object.spec.containers.map(c, c.name).max()", Doc()).line, 16);  // keeps its node
  EXPECT_EQ(Eval("[1, 2, 1].indexOf(1)"), "0");
  EXPECT_EQ(Eval("[1, 2, 1].lastIndexOf(1)"), "2");
  EXPECT_EQ(Eval("'héllo'.substring(1, 3)"), R"("él")");
  EXPECT_EQ(Eval("'héllo'.substring(4)"), R"("o")");
  EXPECT_TRUE(IsError("'abc'.substring(2, 1)", "out of range"));
  EXPECT_EQ(Eval("'héllo'.charAt(1)"), R"("é")");
  EXPECT_TRUE(IsError("1.contains('a')", "no such overload: int.contains(string)"));
}

TEST(MisconfigLang, Regex) {
  EXPECT_EQ(Eval("'nginx:1.25'.matches('^nginx:[0-9.]+$')"), "true");
  EXPECT_EQ(Eval("'nginx:latest'.matches(':[0-9]')"), "false");
  EXPECT_EQ(Eval("matches('abc', 'b')"), "true");  // unanchored search, as in CEL
  EXPECT_EQ(Eval("'ABC'.matches('(?i)abc')"), "true");
  EXPECT_EQ(Eval(R"('a1'.matches(r'\d'))"), "true");
  EXPECT_EQ(Eval("'é'.matches('^.$')"), "true");  // UTF-8 aware
  EXPECT_EQ(Eval("'x'.matches('[' + 'x]')"), "true");  // pattern computed at run time
  EXPECT_TRUE(IsError("'x'.matches('(' + '')", "invalid regular expression"));
  EXPECT_EQ(Eval("'image: nginx:1.25'.find('[0-9.]+')"), R"("1.25")");
  EXPECT_EQ(Eval("'abc'.find('z')"), R"("")");
  EXPECT_EQ(Eval("'a1b22c333'.findAll('[0-9]+')"), R"(["1", "22", "333"])");
  EXPECT_EQ(Eval("'a1b22c333'.findAll('[0-9]+', 2)"), R"(["1", "22"])");
  EXPECT_EQ(Eval("'héé'.findAll('')"), R"(["", "", "", ""])");  // empty matches step by code point
  EXPECT_EQ(ErrorColumn("'x'.find('[')"), 10u);
  std::string msg;
  EXPECT_EQ(ErrorColumn("'x'.matches('a(')", &msg), 13u);  // literal patterns are compiled at load
  EXPECT_NE(msg.find("invalid regular expression"), std::string::npos);
  EXPECT_EQ(ErrorColumn("'x'.matches(1)", &msg), 13u);
}

TEST(MisconfigLang, Conversions) {
  EXPECT_EQ(Eval("int('42')"), "42");
  EXPECT_EQ(Eval("int('-42')"), "-42");
  EXPECT_EQ(Eval("int(2.9)"), "2");
  EXPECT_EQ(Eval("int(7u)"), "7");
  EXPECT_TRUE(IsError("int('4x')", "cannot convert"));
  EXPECT_TRUE(IsError("int(1e19)", "out of range"));
  EXPECT_TRUE(IsError("int(18446744073709551615u)", "out of range"));
  EXPECT_EQ(Eval("uint(3)"), "3u");
  EXPECT_TRUE(IsError("uint(-3)", "out of range"));
  EXPECT_EQ(Eval("double(3)"), "3.0");
  EXPECT_EQ(Eval("double('2.5')"), "2.5");
  EXPECT_EQ(Eval("string(3)"), R"("3")");
  EXPECT_EQ(Eval("string(2.5)"), R"("2.5")");
  EXPECT_EQ(Eval("string(true)"), R"("true")");
  EXPECT_EQ(Eval("string(b'ab')"), R"("ab")");
  EXPECT_EQ(Eval("bool('true')"), "true");
  EXPECT_EQ(Eval("bool('f')"), "false");
  EXPECT_TRUE(IsError("bool('yes')", "cannot convert"));
  EXPECT_EQ(Eval("type(1) == int"), "true");
  EXPECT_EQ(Eval("type(object.metadata) == map"), "true");
  EXPECT_EQ(Eval("type(object.spec.containers)"), "type(list)");
  EXPECT_EQ(Eval("type(null)"), "type(null_type)");
  EXPECT_EQ(Eval("type(type(1))"), "type(type)");
  EXPECT_EQ(Eval("dyn(1) + 1"), "2");
  EXPECT_EQ(Eval("string(object.spec.containers[0].ports[0].containerPort)"), R"("80")");
}

TEST(MisconfigLang, CompileErrorsHaveColumns) {
  std::string msg;
  EXPECT_EQ(ErrorColumn("object.kind ==", &msg), 15u);
  EXPECT_NE(msg.find("end of expression"), std::string::npos);
  EXPECT_EQ(ErrorColumn("foo.bar", &msg), 1u);
  EXPECT_EQ(msg, "undeclared reference to 'foo'");
  EXPECT_EQ(ErrorColumn("object.kind.sizee()", &msg), 13u);
  EXPECT_EQ(msg, "undeclared function 'sizee'");
  EXPECT_EQ(ErrorColumn("size(1, 2)", &msg), 1u);
  EXPECT_NE(msg.find("takes 1 argument"), std::string::npos);
  EXPECT_EQ(ErrorColumn("'a'.int()", &msg), 5u);
  EXPECT_NE(msg.find("not a method"), std::string::npos);
  EXPECT_EQ(ErrorColumn("startsWith('a', 'b')", &msg), 1u);
  EXPECT_NE(msg.find("is a method"), std::string::npos);
  EXPECT_EQ(ErrorColumn("1 + 'abc", &msg), 5u);
  EXPECT_NE(msg.find("unterminated"), std::string::npos);
  EXPECT_EQ(ErrorColumn("1 = 2", &msg), 3u);
  EXPECT_EQ(ErrorColumn("(1 + 2", &msg), 7u);
  EXPECT_EQ(ErrorColumn("1 2", &msg), 3u);
  EXPECT_EQ(ErrorColumn("99999999999999999999", &msg), 1u);
  EXPECT_NE(msg.find("out of range"), std::string::npos);
  EXPECT_EQ(ErrorColumn("9223372036854775808", &msg), 1u);
  EXPECT_EQ(ErrorColumn("'\\q'", &msg), 2u);
  EXPECT_EQ(ErrorColumn("if", &msg), 1u);
  EXPECT_NE(msg.find("reserved"), std::string::npos);
  EXPECT_EQ(ErrorColumn("item", &msg), 1u);
  EXPECT_EQ(ErrorColumn("variables.x", &msg), 11u);
  EXPECT_EQ(ErrorColumn("request.object", &msg), 1u);
  EXPECT_EQ(ErrorColumn("object.#", &msg), 8u);
  EXPECT_EQ(ErrorColumn(std::string(300, '(') + "1" + std::string(300, ')'), &msg), 201u);
  EXPECT_NE(msg.find("nested too deeply"), std::string::npos);
  std::string long_chain = "1";
  for (int k = 0; k < 500; ++k) long_chain += " + 1";
  EXPECT_GT(ErrorColumn(long_chain, &msg), 0u);  // a left-deep tree is bounded too
  EXPECT_EQ(ErrorColumn("object.kind == 'Pod' && size(object.spec.containers) > 0"), 0u);
}

TEST(MisconfigLang, VariablesAreLazyAndMemoised) {
  Env env;
  env.variables = {"containers", "bad", "names"};
  env.visible_variables = 3;
  std::vector<Program> vars;
  Env e0;
  e0.variables = env.variables;
  vars.push_back(Compile("object.spec.containers", e0));
  vars.push_back(Compile("1 / 0", e0));
  e0.visible_variables = 1;
  vars.push_back(Compile("variables.containers.map(c, c.name)", e0));
  EXPECT_THROW(Compile("variables.names", e0), CompileError);  // declared later: not visible
  EXPECT_THROW(Compile("variables.nope", env), CompileError);

  Program p = Compile("variables.names.size() == 2 && variables.names[0] == 'app' && size(variables.containers) == 2", env);
  EvalContext ctx;
  ctx.object = Val::FromDoc(Doc());
  ctx.variables = &vars;
  EXPECT_EQ(Debug(Eval(p, ctx)), "true");
  ASSERT_EQ(ctx.cache.size(), 3u);
  EXPECT_TRUE(ctx.cache[0].has_value());
  EXPECT_FALSE(ctx.cache[1].has_value());  // never read: never evaluated
  EXPECT_TRUE(ctx.cache[2].has_value());
  // Memoised: a second read does not evaluate the variable again (fewer steps than the first time).
  const uint64_t before = ctx.steps;
  Program q = Compile("variables.names", env);
  Eval(q, ctx);
  EXPECT_LE(ctx.steps - before, 2u);
  // An error in a variable names the variable; && absorbs it when the other side is false.
  Program r = Compile("variables.bad == 1", env);
  const Val err = Eval(r, ctx);
  ASSERT_TRUE(err.is_error());
  EXPECT_EQ(err.str(), "variables.bad: division by zero (column 3)");
  EXPECT_EQ(Debug(Eval(Compile("false && variables.bad == 1", env), ctx)), "false");
}

TEST(MisconfigLang, WorkIsBounded) {
  // 1000 x 1000 x 1000 iterations would take minutes: the step limit stops it.
  const Val v = EvalExpression(
      "[0,1,2,3,4,5,6,7,8,9].map(a, [0,1,2,3,4,5,6,7,8,9].map(b, [0,1,2,3,4,5,6,7,8,9].map(c, c))).size() == 10 && "
      "[0,1,2,3,4,5,6,7,8,9].map(a, [0,1,2,3,4,5,6,7,8,9]).map(x, x + x + x + x + x + x + x + x + x + x).map(x, x + x + x + x + x + x + x + x + x + x)"
      ".map(x, x + x + x + x + x + x + x + x + x + x).map(x, x + x + x + x + x + x + x + x + x + x).size() == 10",
      Doc());
  ASSERT_TRUE(v.is_error());
  EXPECT_TRUE(std::string(v.str()).find("larger than 100000") != std::string::npos ||
              std::string(v.str()).find("step limit") != std::string::npos)
      << v.str();
  const Val w = EvalExpression(
      "[0,1,2,3,4,5,6,7,8,9,0,1,2,3,4,5,6,7,8,9].all(a, [0,1,2,3,4,5,6,7,8,9,0,1,2,3,4,5,6,7,8,9].all(b, "
      "[0,1,2,3,4,5,6,7,8,9,0,1,2,3,4,5,6,7,8,9].all(c, [0,1,2,3,4,5,6,7,8,9,0,1,2,3,4,5,6,7,8,9].all(d, "
      "[0,1,2,3,4,5,6,7,8,9,0,1,2,3,4,5,6,7,8,9].all(e, a + b + c + d + e >= 0)))))",
      Doc());
  ASSERT_TRUE(w.is_error());
  EXPECT_NE(std::string(w.str()).find("step limit"), std::string::npos);
  std::string s = "'ab'";
  for (int k = 0; k < 25; ++k) s = "(" + s + ").replace('a', 'aa').replace('b', 'bb')";
  const Val x = EvalExpression(s, Doc());
  ASSERT_TRUE(x.is_error());
  EXPECT_NE(std::string(x.str()).find("1 MiB"), std::string::npos);
  const Val y = EvalExpression("'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.matches('(a|a)*(a|a)*(a|a)*(a|a)*b')", Doc());
  EXPECT_TRUE(y.is_error() || (y.kind == Val::Kind::kBool && !y.b));
}

TEST(MisconfigLang, FunctionTableIsComplete) {
  size_t n = 0;
  const FnDef* all = AllFunctions(&n);
  std::set<std::string> names;
  for (size_t k = 0; k < n; ++k) names.insert(all[k].name);
  for (const char* f : {"size", "contains", "startsWith", "endsWith", "matches", "lowerAscii", "upperAscii", "split",
                        "join", "trim", "replace", "indexOf", "int", "uint", "double", "string", "bool", "type",
                        "orValue", "hasValue"})
    EXPECT_TRUE(names.count(f)) << f;
}

// ---- Oracle: @marcbachmann/cel-js (npm), an independent CEL implementation -----------------------
// Every expression of the table is evaluated by both, on the same Pod document. Where the oracle gives
// a value ours must give the same value (in CEL notation); where the oracle gives an error ours must
// give an error too -- except for the deliberate differences listed below. The package is looked up in
// tests/node/node_modules (scripts/test-node-deps.sh) or in $CUSTOMS_NODE_MODULES; without it (or
// without node) the test is skipped with the reason.

const char* const kOracleScript = R"JS(import {readFileSync} from 'node:fs'
import {pathToFileURL} from 'node:url'
const cel = await import(pathToFileURL(process.env.CEL_JS + '/lib/index.js').href)
const env = new cel.Environment({unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false, enableOptionalTypes: true})
const object = {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'web', labels: {app: 'web'}},
  spec: {hostNetwork: true, containers: [
    {name: 'app', image: 'nginx:1.25', securityContext: {privileged: true}, ports: [{containerPort: 80n}]},
    {name: 'sidecar', image: 'busybox'}], replicas: 2.5, nothing: null}}
function q(s, bytes) {
  let o = '"'
  for (const c of bytes ? s : new TextEncoder().encode(s)) {
    if (c === 34 || c === 92) o += '\\' + String.fromCharCode(c)
    else if (c === 10) o += '\\n'
    else if (c === 9) o += '\\t'
    else if (c < 0x20 || c === 0x7f || (bytes && c >= 0x80)) o += '\\x' + c.toString(16).padStart(2, '0')
    else o += '\0'.replace('\0', '%%' + c + '%%')
  }
  // Reassemble UTF-8 runs.
  return Buffer.from(o.replace(/%%(\d+)%%/g, (m, d) => String.fromCharCode(+d)), 'latin1').toString('utf8') + '"'
}
function d(v) {
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'bigint') return String(v)
  if (typeof v === 'boolean') return String(v)
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'NaN'
    if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity'
    const s = String(v)
    return /[.e]/.test(s) ? s.replace('e+', 'e+') : s + '.0'
  }
  if (typeof v === 'string') return q(v, false)
  if (v instanceof Uint8Array) return 'b' + q(v, true)
  if (v?.constructor?.name === "UnsignedInt") return String(v.value) + 'u'
  if (v?.constructor?.name === 'Type') return 'type(' + (v.name === 'null' ? 'null_type' : v.name) + ')'
  if (Array.isArray(v)) return '[' + v.map(d).join(', ') + ']'
  if (v instanceof Map) return '{' + [...v].map(([k, x]) => d(k) + ': ' + d(x)).join(', ') + '}'
  if (v?.constructor?.name === 'Optional') return v.hasValue() ? 'optional.of(' + d(v.value()) + ')' : 'optional.none()'
  if (typeof v === 'object') return '{' + Object.entries(v).map(([k, x]) => q(k, false) + ': ' + d(x)).join(', ') + '}'
  return '?' + typeof v
}
for (const line of readFileSync(process.env.CEL_INPUT, 'utf8').split('\n')) {
  if (!line) continue
  let r
  try { r = env.evaluate(line, {object}) }
  catch (e) { console.log('ERR ' + String(e.message).split('\n')[0]); continue }
  console.log('OK ' + d(r))
}
)JS";

std::filesystem::path CelJsDir() {
  namespace fs = std::filesystem;
  const fs::path in_tree = fs::path(customs_test::SourceDir()) / "tests/node/node_modules/@marcbachmann/cel-js";
  if (fs::exists(in_tree / "package.json")) return in_tree;
  if (const char* env = std::getenv("CUSTOMS_NODE_MODULES")) {
    const fs::path p = fs::path(env) / "@marcbachmann/cel-js";
    if (fs::exists(p / "package.json")) return p;
  }
  return {};
}

// Expressions where the two deliberately differ: cel-js type-checks before it evaluates and so rejects
// what CEL's runtime semantics (which checks on dynamically typed YAML need) accept: heterogeneous
// numeric equality and comparison, and mixed-type operands of == and in.
const std::set<std::string> kOracleDifferences = {
    "1 == 1.0", "1u == 1", "1 == 'a'", "2 > 1.5", "9223372036854775807 < 9223372036854775808.0",
    "-1 < 1u", "1 != 'a'", "[1, 'a'] == [1, 'a']", "'a' in [1, 'a']",
    // Part of CEL (the spec, RE2, or cel-go's strings extension that VAP enables) but not of cel-js 8.0.0:
    // bytes ordering, int(uint), RE2's (?i) flag, replace() and charAt().
    "b'a' < b'b'", "int(7u)", "'ABC'.matches('(?i)abc')", "'aaa'.replace('a', 'b')", "'aaa'.replace('a', 'b', 2)",
    "'h\xc3\xa9llo'.charAt(1)",
    // cel-js converts 1e19 to an int beyond int64; the CEL spec makes that a range error, as we do.
    "int(1e19)",
};

const char* const kOracleTable[] = {
    // literals
    "1", "-1", "0x1F", "1u", "18446744073709551615u", "-9223372036854775808", "1.5", "1e3", "2.5e-3", "0.1 + 0.2",
    "true", "null", "'a\\tb\\\"c'", "r'a\\d+'", "'\\u00e9' == '\xc3\xa9'", "'\\x41\\101'", "b'\\xff\\x00'", "b'abc'",
    "[1, 'a', [true]]", "{'a': 1, 'b': [2.5]}", "\"\"\"a\\nb\"\"\"",
    // arithmetic
    "1 + 2 * 3 - 4 / 2", "7 % 3", "-7 / 2", "-7 % 2", "2u * 3u", "5u / 2u", "5u % 2u", "1.5 * 2.0", "1.0 / 4.0",
    "'ab' + 'cd'", "[1] + [2, 3]", "b'a' + b'b'", "--1", "!!true", "1 / 0", "1 % 0", "9223372036854775807 + 1",
    "-9223372036854775808 - 1", "9223372036854775807 * 2", "0u - 1u", "1 + 1.0", "1 + 'a'", "-'a'", "1u + 1",
    // comparison
    "1 < 2", "2 <= 2", "3 > 2", "3 >= 4", "'a' < 'b'", "'b' < 'ab'", "true > false", "1 == 1", "1 == 1.0", "1u == 1",
    "-1 < 1u", "2 > 1.5", "9223372036854775807 < 9223372036854775808.0", "1 == 'a'", "1 != 'a'", "null == null",
    "[1, 'a'] == [1, 'a']", "[1, 2] == [2, 1]", "{'a': 1, 'b': 2} == {'b': 2, 'a': 1}", "2 in [1, 2]", "'a' in [1, 'a']",
    "'app' in object.metadata.labels", "'x' in object.metadata.labels", "1 < 'a'", "b'a' < b'b'",
    // logic
    "false && 1 / 0 == 1", "1 / 0 == 1 && false", "true || 1 / 0 == 1", "1 / 0 == 1 || true", "true && 1 / 0 == 1",
    "true ? 1 : 1 / 0", "false ? 1 / 0 : 2", "!(1 < 2)",
    // document
    "object.kind", "object.metadata.labels['app']", "object.spec.containers[1].name", "object['spec']['hostNetwork']",
    "object.spec.replicas", "object.spec.nothing", "object.spec.containers[2]", "object.missing", "has(object.spec)",
    "has(object.spec.volumes)", "object.spec.containers[0].ports[0].containerPort + 1",
    "size(object.spec.containers)", "object.spec.containers.map(c, c.name)",
    // macros
    "[1, 2, 3].all(x, x > 0)", "[1, 2, 3].all(x, x > 1)", "[1, 2, 3].exists(x, x == 2)", "[].exists(x, x == 2)",
    "[1, 2, 3].exists_one(x, x > 2)", "[1, 2, 3].exists_one(x, x > 1)", "[1, 2, 3].map(x, x * 2)",
    "[1, 2, 3].map(x, x > 1, x * 10)", "[1, 2, 3].filter(x, x % 2 == 1)", "{'a': 1, 'b': 2}.map(k, k)",
    "{'a': 1, 'b': 2}.all(k, k.size() == 1)", "[0, 1].all(x, 1 / x > 5)", "[0, 1].all(x, 1 / x > 0)",
    "[0, 1].exists(x, 1 / x == 1)", "[[1, 2], [3]].map(x, x.map(y, y + 1))",
    "object.spec.containers.filter(c, has(c.securityContext)).map(c, c.name)",
    // optionals
    "object.?spec.?hostNetwork.orValue(false)", "object.?spec.?hostPID.orValue(false)", "object.?nope.?a.orValue(7)",
    "object.?kind.hasValue()", "object.?x.hasValue()", "object.metadata.labels[?'app']", "optional.of(1).or(optional.of(2))",
    "optional.none().orValue(3)", "object.spec.containers[?5].orValue('none')",
    // strings
    "size('h\xc3\xa9llo')", "'h\xc3\xa9llo'.size()", "size(b'ab')", "'nginx:latest'.endsWith(':latest')", "'nginx'.startsWith('ng')",
    "'abc'.contains('bc')", "'AbC'.lowerAscii()", "'AbC'.upperAscii()", "'a,b,,c'.split(',')", "'a,b,c'.split(',', 2)",
    "['a', 'b'].join('-')", "['a', 'b'].join()", "'  a b '.trim()", "'aaa'.replace('a', 'b')", "'aaa'.replace('a', 'b', 2)",
    "'h\xc3\xa9llo'.indexOf('l')", "'h\xc3\xa9llo'.lastIndexOf('l')", "'h\xc3\xa9llo'.substring(1, 3)", "'h\xc3\xa9llo'.charAt(1)",
    "'nginx:1.25'.matches('^nginx:[0-9.]+$')", "'abc'.matches('b')", "'ABC'.matches('(?i)abc')", "'a1'.matches('\\\\d')",
    // conversions
    "int('42')", "int('-42')", "int(2.9)", "int(-2.9)", "int(7u)", "int('4x')", "int(1e19)", "uint(3)", "uint(-3)",
    "double(3)", "double('2.5')", "string(3)", "string(2.5)", "string(true)", "string(7u)", "bool('true')", "bool('f')",
    "bool('yes')", "type(1)", "type(1u)", "type('a')", "type([])", "type({})", "type(null)", "type(type(1))",
    "type(object.spec.replicas)", "dyn(1) + 1", "type(1) == int", "bytes('ab')",
};

TEST(MisconfigLang, AgreesWithCelJs) {
  namespace fs = std::filesystem;
  const fs::path cel = CelJsDir();
  if (cel.empty())
    GTEST_SKIP() << "tests/node/node_modules/@marcbachmann/cel-js is missing (run: bash scripts/test-node-deps.sh, or "
                    "point $CUSTOMS_NODE_MODULES at a node_modules folder holding it): CEL oracle comparison skipped";
  if (std::system("node --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "node not found: CEL oracle comparison skipped";
  customs_test::TempDir dir;
  customs_test::WriteFile(dir / "oracle.mjs", kOracleScript);
  std::string input;
  for (const char* e : kOracleTable) input += std::string(e) + "\n";
  customs_test::WriteFile(dir / "in.txt", input);
  const std::string cmd = "CEL_JS='" + cel.string() + "' CEL_INPUT='" + (dir / "in.txt") + "' node '" +
                          (dir / "oracle.mjs") + "' > '" + (dir / "out.txt") + "' 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << customs_test::ReadFile(dir / "out.txt");
  std::ifstream out(dir / "out.txt");
  std::string line;
  size_t k = 0, compared = 0, differences = 0;
  for (; k < std::size(kOracleTable) && std::getline(out, line); ++k) {
    const std::string expr = kOracleTable[k];
    const std::string ours = Eval(expr);
    const bool ours_error = ours.rfind("error(", 0) == 0 || ours.rfind("compile error", 0) == 0;
    if (kOracleDifferences.count(expr)) {
      ++differences;  // our values for these are asserted by the tests above
      continue;
    }
    ++compared;
    if (line.rfind("OK ", 0) == 0) {
      EXPECT_EQ(ours, line.substr(3)) << "expression: " << expr;
    } else {
      EXPECT_TRUE(ours_error) << "expression: " << expr << "\n  ours: " << ours << "\n  cel-js: " << line;
    }
  }
  EXPECT_EQ(k, std::size(kOracleTable)) << "the oracle answered fewer lines than it was asked";
  std::printf("[ cel-js   ] %zu expressions agree, %zu documented differences\n", compared, differences);
}

}  // namespace
}  // namespace customs::misconfig::lang
