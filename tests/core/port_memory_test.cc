// Port memory: what one worker learns, the next reads from the shared file,
// until it expires; the file is replaced whole, and only a file of our own is trusted.
#include "core/delivery/port_memory.h"

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace smtpx::delivery {
namespace {

class PortMemoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/smtpx-port-memory-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    directory_ = pattern;
  }
  void TearDown() override {
    for (const std::string& name : names(own())) ::unlink((own() + "/" + name).c_str());
    ::rmdir(own().c_str());
    ::unlink(own().c_str());
    ::rmdir(directory_.c_str());
  }

  // The user's own directory inside the shared one.
  std::string own() const { return directory_ + "/smtpx-" + std::to_string(geteuid()); }

  static std::vector<std::string> names(const std::string& directory) {
    std::vector<std::string> found;
    if (DIR* dir = opendir(directory.c_str())) {
      while (const dirent* entry = readdir(dir))
        if (entry->d_name[0] != '.') found.emplace_back(entry->d_name);
      closedir(dir);
    }
    std::sort(found.begin(), found.end());
    return found;
  }

  std::string file_text(const PortMemory& memory) const {
    std::ifstream in(memory.file_path());
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  PortMemory::WallClock clock() {
    return [this] { return now_; };
  }

  std::string directory_;
  std::time_t now_ = 1'800'000'000;
};

const PortChoice port_2525{2525, smtp::TlsMode::starttls};
const PortChoice port_465{465, smtp::TlsMode::implicit};

TEST_F(PortMemoryTest, RemembersInTheProcess) {
  PortMemory memory("", 3600, clock());
  memory.remember("smtp.example.com", port_2525);
  const std::optional<PortChoice> recalled = memory.recall("smtp.example.com");
  ASSERT_TRUE(recalled);
  EXPECT_EQ(recalled->port, 2525);
  EXPECT_EQ(recalled->tls, smtp::TlsMode::starttls);
  EXPECT_FALSE(memory.recall("other.example.com"));
}

TEST_F(PortMemoryTest, AnotherWorkerReadsItFromTheFile) {
  PortMemory first(directory_, 3600, clock());
  first.remember("smtp.example.com", port_465);
  EXPECT_EQ(file_text(first), "smtp.example.com 465 tls 1800003600\n");
  PortMemory second(directory_, 3600, clock());
  const std::optional<PortChoice> recalled = second.recall("smtp.example.com");
  ASSERT_TRUE(recalled);
  EXPECT_EQ(recalled->port, 465);
  EXPECT_EQ(recalled->tls, smtp::TlsMode::implicit);
}

TEST_F(PortMemoryTest, FileIsInADirectoryOfTheUserAndReadableOnlyByIt) {
  PortMemory memory(directory_, 3600, clock());
  memory.remember("smtp.example.com", port_2525);
  EXPECT_EQ(memory.file_path(), own() + "/ports.cache");
  struct stat info {};
  ASSERT_EQ(stat(own().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u);
  ASSERT_EQ(stat(memory.file_path().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST_F(PortMemoryTest, ADirectoryOthersCanWriteIsNotUsed) {
  ASSERT_EQ(mkdir(own().c_str(), 0700), 0);
  ASSERT_EQ(chmod(own().c_str(), 0777), 0);
  PortMemory memory(directory_, 3600, clock());
  memory.remember("smtp.example.com", port_2525);
  EXPECT_TRUE(names(own()).empty());
  EXPECT_TRUE(memory.recall("smtp.example.com"));  // the process still remembers
}

TEST_F(PortMemoryTest, ALinkInPlaceOfTheDirectoryIsNotFollowed) {
  char elsewhere[] = "/tmp/smtpx-port-memory-target-XXXXXX";
  ASSERT_NE(mkdtemp(elsewhere), nullptr);
  ASSERT_EQ(symlink(elsewhere, own().c_str()), 0);
  PortMemory(directory_, 3600, clock()).remember("smtp.example.com", port_2525);
  EXPECT_TRUE(names(elsewhere).empty());
  ::rmdir(elsewhere);
}

TEST_F(PortMemoryTest, ALockHeldElsewhereCostsTheWriteNotAStall) {
  PortMemory memory(directory_, 3600, clock());
  memory.remember("a.example.com", port_2525);
  const int holder = ::open((own() + "/ports.lock").c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_GE(holder, 0);
  ASSERT_EQ(flock(holder, LOCK_EX), 0);
  const auto started = std::chrono::steady_clock::now();
  memory.remember("b.example.com", port_465);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
  EXPECT_EQ(file_text(memory), "a.example.com 2525 starttls 1800003600\n");
  ::close(holder);
}

TEST_F(PortMemoryTest, WriteReplacesTheFileWholeAndLeavesNoTemporaryBehind) {
  PortMemory memory(directory_, 3600, clock());
  memory.remember("a.example.com", port_2525);
  memory.remember("b.example.com", port_465);
  memory.forget("a.example.com");
  EXPECT_EQ(names(own()), (std::vector<std::string>{"ports.cache", "ports.lock"}));
  EXPECT_EQ(file_text(memory), "b.example.com 465 tls 1800003600\n");
}

TEST_F(PortMemoryTest, KeepsWhatOtherWorkersWroteForOtherHosts) {
  PortMemory first(directory_, 3600, clock());
  PortMemory second(directory_, 3600, clock());
  first.remember("a.example.com", port_2525);
  second.remember("b.example.com", port_465);
  EXPECT_EQ(file_text(first), "a.example.com 2525 starttls 1800003600\nb.example.com 465 tls 1800003600\n");
}

TEST_F(PortMemoryTest, EntryExpiresAfterTheTimeToLive) {
  PortMemory memory(directory_, 3600, clock());
  memory.remember("smtp.example.com", port_2525);
  now_ += 3599;
  EXPECT_TRUE(memory.recall("smtp.example.com"));
  now_ += 1;
  EXPECT_FALSE(memory.recall("smtp.example.com"));
  EXPECT_FALSE(PortMemory(directory_, 3600, clock()).recall("smtp.example.com"));
}

TEST_F(PortMemoryTest, ForgetReachesOtherWorkers) {
  PortMemory first(directory_, 3600, clock());
  first.remember("smtp.example.com", port_2525);
  PortMemory second(directory_, 3600, clock());
  ASSERT_TRUE(second.recall("smtp.example.com"));
  second.forget("smtp.example.com");
  EXPECT_FALSE(PortMemory(directory_, 3600, clock()).recall("smtp.example.com"));
}

TEST_F(PortMemoryTest, FileWritableByOthersIsIgnored) {
  PortMemory memory(directory_, 3600, clock());
  memory.remember("smtp.example.com", port_2525);
  ASSERT_EQ(chmod(memory.file_path().c_str(), 0666), 0);
  EXPECT_FALSE(PortMemory(directory_, 3600, clock()).recall("smtp.example.com"));
}

TEST_F(PortMemoryTest, GarbledLinesAreSkipped) {
  PortMemory memory(directory_, 3600, clock());
  ASSERT_EQ(mkdir(own().c_str(), 0700), 0);
  {
    std::ofstream out(memory.file_path());
    out << "garbage\nbad.example.com 99999 starttls 1800003600\nweird.example.com 25 carrier-pigeon "
           "1800003600\ngood.example.com 2525 starttls 1800003600\n";
  }
  chmod(memory.file_path().c_str(), 0600);
  EXPECT_FALSE(memory.recall("bad.example.com"));
  EXPECT_FALSE(memory.recall("weird.example.com"));
  ASSERT_TRUE(memory.recall("good.example.com"));
}

TEST_F(PortMemoryTest, UnwritableDirectoryCostsOnlyTheSharing) {
  PortMemory memory("/nonexistent/smtpx", 3600, clock());
  memory.remember("smtp.example.com", port_2525);
  EXPECT_TRUE(memory.recall("smtp.example.com"));
}

}  // namespace
}  // namespace smtpx::delivery
