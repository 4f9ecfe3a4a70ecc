#include "templates/engine.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace ocl::templates {
namespace {

TEST(Engine, EscapesEveryValue) {
  const Engine engine{{{"page", "<p>{{title}}</p>"}}};
  Data data{Data::type::object};
  data.set("title", "<script>alert(\"x\")</script> & 'q'");
  EXPECT_EQ(engine.render("page", data),
            "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;q&apos;</p>");
}

TEST(Engine, IncludesPartialsByName) {
  const Engine engine{{{"site/head", "<h>{{page_title}}</h>"}, {"page", "{{> site/head}}<b>{{body}}</b>"}}};
  Data data{Data::type::object};
  data.set("page_title", "T");
  data.set("body", "B");
  EXPECT_EQ(engine.render("page", data), "<h>T</h><b>B</b>");
}

TEST(Engine, RendersListsAndInvertedSections) {
  const Engine engine{{{"list", "{{#items}}[{{name}}]{{/items}}{{^items}}none{{/items}}"}}};
  Data empty{Data::type::object};
  empty.set("items", Data{Data::type::list});
  EXPECT_EQ(engine.render("list", empty), "none");
  Data full{Data::type::object};
  Data items{Data::type::list};
  for (const auto* name : {"a", "b"}) {
    Data item{Data::type::object};
    item.set("name", name);
    items.push_back(item);
  }
  full.set("items", items);
  EXPECT_EQ(engine.render("list", full), "[a][b]");
}

TEST(Engine, UnknownOrBrokenTemplatesAreErrors) {
  const Engine engine{{{"ok", "fine"}}};
  EXPECT_THROW((void)engine.render("missing", Data{Data::type::object}), TemplateError);
  EXPECT_THROW((Engine{{{"broken", "{{#open}} never closed"}}}), TemplateError);
  EXPECT_TRUE(engine.contains("ok"));
  EXPECT_FALSE(engine.contains("missing"));
}

TEST(Engine, EmbeddedTemplatesAllParse) {
  const Engine engine;
  for (const auto* name :
       {"site/index", "site/error", "lettings/index", "lettings/letting", "profiles/index", "profiles/profile"}) {
    EXPECT_TRUE(engine.contains(name)) << name;
  }
}

TEST(Engine, RendersConcurrentlyFromManyThreads) {
  const Engine engine{{{"page", "{{#items}}{{.}}{{/items}}"}}};
  std::vector<std::thread> threads;
  std::vector<std::string> results(4);
  for (std::size_t index = 0; index < results.size(); ++index) {
    threads.emplace_back([&, index] {
      Data data{Data::type::object};
      Data items{Data::type::list};
      items.push_back(Data{std::to_string(index)});
      data.set("items", items);
      for (int round = 0; round < 200; ++round) {
        results[index] = engine.render("page", data);
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  for (std::size_t index = 0; index < results.size(); ++index) {
    EXPECT_EQ(results[index], std::to_string(index));
  }
}

}  // namespace
}  // namespace ocl::templates

namespace ocl::templates {
namespace {

TEST(Engine, RefusesUnknownOrCyclicPartials) {
  EXPECT_THROW((Engine{{{"page", "{{> nowhere}}"}}}), TemplateError);
  EXPECT_THROW((Engine{{{"a", "{{> b}}"}, {"b", "{{> a}}"}}}), TemplateError);
  EXPECT_THROW((Engine{{{"page", "{{> open"}}}), TemplateError);
}

}  // namespace
}  // namespace ocl::templates
