// cpp_fs.cpp: WASI through C++ and libc++: iostreams (ifstream, ofstream,
// stringstream) over a preopened directory, containers and algorithms, and
// POSIX directory calls wrapped in small RAII helpers. (Debian's libc++ for
// wasm32-wasi is built without std::filesystem, so the directory walking here
// uses <dirent.h>.) Needs a writable preopen /sandbox holding hello.txt.
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

static int checks = 0, failed = 0;

static void expect(bool ok, const std::string &what) {
  ++checks;
  if (!ok) ++failed;
  std::cout << (ok ? "ok   " : "FAIL ") << what << '\n';
}

// The sorted names in a directory, "." and ".." left out, directories marked "/".
static std::vector<std::string> list(const std::string &dir) {
  std::vector<std::string> names;
  std::unique_ptr<DIR, int (*)(DIR *)> d(opendir(dir.c_str()), closedir);
  if (!d) return names;
  while (dirent *e = readdir(d.get())) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    names.push_back(name + (e->d_type == DT_DIR ? "/" : ""));
  }
  std::sort(names.begin(), names.end());
  return names;
}

static long long size_of(const std::string &path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? (long long)st.st_size : -1;
}

// Removes a tree depth first; returns how many entries it removed.
static int remove_tree(const std::string &path) {
  int removed = 0;
  for (const auto &name : list(path)) {
    std::string child = path + "/" + name;
    if (!name.empty() && name.back() == '/') {
      child.pop_back();
      removed += remove_tree(child);
    } else if (unlink(child.c_str()) == 0) {
      ++removed;
    }
  }
  return removed + (rmdir(path.c_str()) == 0 ? 1 : 0);
}

int main(int argc, char **argv) {
  const std::string root = "/sandbox";

  std::ifstream hello(root + "/hello.txt");
  std::string line;
  expect(hello.good() && std::getline(hello, line) && line == "Hello, WASI!",
         "ifstream + getline reads hello.txt");

  expect(mkdir((root + "/a").c_str(), 0755) == 0 && mkdir((root + "/a/b").c_str(), 0755) == 0 &&
             mkdir((root + "/a/b/c").c_str(), 0755) == 0,
         "mkdir a/b/c");
  for (int i = 0; i < 5; ++i) {
    std::ofstream out(root + "/a/b/file" + std::to_string(i) + ".txt");
    for (int j = 0; j <= i; ++j) out << "row " << j << '\n';
  }
  std::vector<std::string> names = list(root + "/a/b");
  std::ostringstream joined;
  for (const auto &n : names) joined << ' ' << n;
  std::cout << "a/b holds:" << joined.str() << '\n';
  expect(names.size() == 6, "readdir lists 6 entries");

  std::map<std::string, long long> sizes;
  for (const auto &n : names)
    if (n.back() != '/') sizes[n] = size_of(root + "/a/b/" + n);
  long long total = std::accumulate(sizes.begin(), sizes.end(), 0LL,
                                    [](long long sum, const auto &kv) { return sum + kv.second; });
  expect(sizes.size() == 5 && total == 90, "5 files, 90 bytes in all");

  expect(std::rename((root + "/a/b/file4.txt").c_str(), (root + "/a/moved.txt").c_str()) == 0,
         "rename a/b/file4.txt -> a/moved.txt");
  expect(size_of(root + "/a/moved.txt") == 30 && size_of(root + "/a/b/file4.txt") == -1,
         "moved.txt has 30 bytes, the old name is gone");
  {
    std::ifstream in(root + "/hello.txt", std::ios::binary);
    std::ofstream out(root + "/a/copy.txt", std::ios::binary);
    out << in.rdbuf();
  }
  std::ifstream copy(root + "/a/copy.txt");
  std::stringstream contents;
  contents << copy.rdbuf();
  expect(contents.str() == "Hello, WASI!\n", "a stream copy has the same contents");
  expect(truncate((root + "/a/copy.txt").c_str(), 5) == 0 && size_of(root + "/a/copy.txt") == 5,
         "truncate to 5 bytes");
  std::fstream rw(root + "/a/copy.txt", std::ios::in | std::ios::out);
  rw.seekp(0, std::ios::end);
  rw << ", world";
  rw.seekg(0);
  std::getline(rw, line);
  expect(line == "Hello, world", "fstream seekp/seekg read-write");
  rw.close();

  // Error paths.
  expect(size_of(root + "/missing.txt") == -1 && errno == ENOENT, "stat a missing file: ENOENT");
  expect(rmdir((root + "/a").c_str()) == -1 && errno == ENOTEMPTY,
         "rmdir a non-empty directory: ENOTEMPTY");
  std::ifstream outside("/etc/passwd");
  expect(!outside.good(), "ifstream /etc/passwd fails: no preopen covers it");
  std::ifstream escape(root + "/../etc/passwd");
  expect(!escape.good(), "ifstream /sandbox/../etc/passwd fails");

  expect(remove_tree(root + "/a") == 9, "removing the tree a removes 9 entries");
  expect(size_of(root + "/a") == -1, "a is gone");
  std::cout << "argc=" << argc << (argc > 1 ? std::string(" argv[1]=") + argv[1] : "") << '\n';
  std::cout << checks << " checks, " << failed << " failed" << std::endl;
  return failed ? 1 : 0;
}
