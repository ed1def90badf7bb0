//! A deterministic, generated sample of web-like data (HTML pages, JSON API responses, access
//! logs), used by `slz bench` and the criterion benches when no corpus is on the machine.
//!
//! The text is made at run time by a seeded pseudo-random generator from small vocabularies,
//! so it has the repetitiveness of real markup and logs without shipping any file. The same
//! seed always gives the same bytes on every machine.
//!
//! This file is also compiled into the root crate's criterion benches (`#[path]`), so it uses
//! only `std`.

/// One generated "file": its group (`html`, `json`, `logs`), name, and bytes.
pub struct SampleFile {
    pub group: &'static str,
    pub name: String,
    pub data: Vec<u8>,
}

/// About `bytes_per_group` bytes of each of HTML, JSON and logs, as a few files of different
/// sizes per group (16 KiB up to most of the budget), like responses of a web server.
pub fn generate(bytes_per_group: usize) -> Vec<SampleFile> {
    let mut files = Vec::new();
    let mut rng = Rng(0x5157_2d62_656e_6368);
    let kinds: [(&'static str, &str, Generator); 3] = [
        ("html", "html", html),
        ("json", "json", json),
        ("logs", "log", logs),
    ];
    for (group, ext, make) in kinds {
        // Sizes: 16 KiB, 64 KiB, 256 KiB, then the rest of the budget in one file.
        let mut left = bytes_per_group;
        for (i, size) in [16 << 10, 64 << 10, 256 << 10, usize::MAX]
            .into_iter()
            .enumerate()
        {
            let size = size.min(left);
            if size == 0 {
                break;
            }
            files.push(SampleFile {
                group,
                name: format!("{group}/{i}.{ext}"),
                data: make(&mut rng, size),
            });
            left -= size;
        }
    }
    files
}

/// Makes `size` bytes of one kind of text.
type Generator = fn(&mut Rng, usize) -> Vec<u8>;

/// xorshift64*: small, fast and good enough to pick words.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    /// Skewed towards the first items, as word frequencies are.
    fn pick_zipf<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let a = self.below(items.len());
        let b = self.below(a + 1);
        items[b]
    }
}

const WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "for",
    "is",
    "on",
    "that",
    "by",
    "this",
    "with",
    "you",
    "it",
    "not",
    "or",
    "be",
    "are",
    "from",
    "at",
    "as",
    "your",
    "all",
    "have",
    "new",
    "more",
    "an",
    "was",
    "we",
    "will",
    "home",
    "can",
    "us",
    "about",
    "if",
    "page",
    "my",
    "has",
    "search",
    "free",
    "but",
    "our",
    "one",
    "other",
    "do",
    "no",
    "information",
    "time",
    "they",
    "site",
    "he",
    "up",
    "may",
    "what",
    "which",
    "their",
    "news",
    "out",
    "use",
    "any",
    "there",
    "see",
    "only",
    "so",
    "his",
    "when",
    "contact",
    "here",
    "business",
    "who",
    "web",
    "also",
    "now",
    "help",
    "get",
    "view",
    "online",
    "first",
    "am",
    "been",
    "would",
    "how",
    "were",
    "me",
    "services",
    "some",
    "these",
    "click",
    "its",
    "like",
    "service",
    "than",
    "find",
    "price",
    "date",
    "back",
    "top",
    "people",
    "had",
    "list",
    "name",
    "just",
    "over",
    "state",
    "year",
    "day",
    "into",
    "email",
    "two",
    "health",
    "world",
    "next",
    "used",
    "go",
    "work",
    "last",
    "most",
    "products",
    "music",
    "buy",
    "data",
    "make",
    "them",
    "should",
    "product",
    "system",
    "post",
    "her",
    "city",
    "add",
    "policy",
    "number",
    "such",
    "please",
    "available",
    "copyright",
    "support",
    "message",
    "after",
    "best",
    "software",
    "then",
    "jan",
    "good",
    "video",
    "well",
    "where",
    "info",
    "rights",
    "public",
    "books",
    "high",
    "school",
    "through",
    "each",
    "links",
    "she",
    "review",
    "years",
    "order",
    "very",
    "privacy",
    "book",
    "items",
    "company",
    "read",
    "group",
    "need",
    "many",
    "user",
    "said",
    "does",
    "set",
    "under",
    "general",
    "research",
    "university",
    "january",
    "mail",
    "full",
    "map",
    "reviews",
    "program",
    "life",
    "know",
    "games",
    "way",
    "days",
    "management",
    "part",
    "could",
    "great",
    "united",
    "hotel",
    "real",
    "item",
    "international",
];

const TAGS: &[&str] = &[
    "div", "span", "p", "li", "a", "section", "article", "td", "em", "strong",
];
const CLASSES: &[&str] = &[
    "container",
    "row",
    "col-md-4",
    "col-sm-6",
    "card",
    "card-body",
    "card-title",
    "btn",
    "btn-primary",
    "nav-link",
    "text-muted",
    "product-price",
    "badge",
    "list-item",
    "footer",
    "header",
    "sidebar",
    "content",
    "main",
    "active",
    "hidden-xs",
    "pull-right",
    "clearfix",
];
const FIRST: &[&str] = &[
    "Alice", "Bob", "Carol", "David", "Eve", "Frank", "Grace", "Heidi", "Ivan", "Judy", "Mallory",
    "Niaj", "Olivia", "Peggy", "Rupert", "Sybil", "Trent", "Victor", "Walter", "Yara",
];
const LAST: &[&str] = &[
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Martinez",
    "Lopez", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Lee", "Thompson",
];
const PATHS: &[&str] = &[
    "/",
    "/index.html",
    "/api/v1/users",
    "/api/v1/orders",
    "/static/css/main.css",
    "/static/js/app.js",
    "/images/logo.png",
    "/products",
    "/products/search",
    "/cart",
    "/checkout",
    "/login",
    "/favicon.ico",
    "/robots.txt",
    "/blog",
    "/blog/feed.xml",
];
const AGENTS: &[&str] = &[
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "curl/8.4.0",
    "Googlebot/2.1 (+http://www.google.com/bot.html)",
];
const STATUS: &[&str] = &[
    "200", "200", "200", "200", "304", "301", "404", "200", "206", "500",
];
const METHODS: &[&str] = &["GET", "GET", "GET", "POST", "GET", "HEAD", "PUT", "DELETE"];

/// A sentence of `min` to `min + spread - 1` words.
fn sentence(rng: &mut Rng, out: &mut String, min: usize, spread: usize) {
    let words = min + rng.below(spread);
    for i in 0..words {
        let w = rng.pick_zipf(WORDS);
        if i == 0 {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                out.extend(f.to_uppercase());
                out.push_str(c.as_str());
            }
        } else {
            out.push(' ');
            out.push_str(w);
        }
    }
    out.push('.');
}

fn html(rng: &mut Rng, size: usize) -> Vec<u8> {
    let mut s = String::with_capacity(size + 4096);
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    s.push_str("<title>Shop - products and news</title>\n");
    s.push_str(
        "<link rel=\"stylesheet\" href=\"/static/css/main.css?v=3.2.1\">\n</head>\n<body>\n",
    );
    s.push_str("<nav class=\"navbar\"><ul>");
    for p in PATHS.iter().take(8) {
        s.push_str(&format!(
            "<li class=\"nav-item\"><a class=\"nav-link\" href=\"{p}\">{}</a></li>",
            rng.pick(WORDS)
        ));
    }
    s.push_str("</ul></nav>\n<main class=\"container\">\n");
    let mut id = 1000 + rng.below(9000);
    while s.len() < size {
        match rng.below(4) {
            0 => {
                id += 1 + rng.below(7);
                s.push_str(&format!(
                    "<div class=\"card product\" data-id=\"{id}\">\n  <img src=\"/images/p/{id}.jpg\" alt=\"{}\" width=\"240\" height=\"180\">\n  <h3 class=\"card-title\"><a href=\"/products/{id}\">",
                    rng.pick(WORDS)
                ));
                sentence(rng, &mut s, 2, 4);
                s.push_str(&format!(
                    "</a></h3>\n  <span class=\"product-price\">${}.{:02}</span>\n  <button class=\"btn btn-primary\" onclick=\"addToCart({id})\">Add to cart</button>\n</div>\n",
                    1 + rng.below(500),
                    rng.below(100)
                ));
            }
            1 => {
                let tag = rng.pick(TAGS);
                s.push_str(&format!(
                    "<{tag} class=\"{} {}\">",
                    rng.pick(CLASSES),
                    rng.pick(CLASSES)
                ));
                sentence(rng, &mut s, 5, 20);
                s.push_str(&format!("</{tag}>\n"));
            }
            2 => {
                s.push_str("<p>");
                for _ in 0..1 + rng.below(4) {
                    sentence(rng, &mut s, 6, 18);
                    s.push(' ');
                }
                s.push_str("</p>\n");
            }
            _ => {
                s.push_str("<table class=\"specs\">\n");
                for _ in 0..2 + rng.below(5) {
                    s.push_str(&format!(
                        "<tr><td>{}</td><td>{}</td></tr>\n",
                        rng.pick(WORDS),
                        rng.below(10000)
                    ));
                }
                s.push_str("</table>\n");
            }
        }
    }
    s.push_str("</main>\n<footer class=\"footer\">&copy; 2024 Shop</footer>\n</body>\n</html>\n");
    s.truncate(size);
    s.into_bytes()
}

fn json(rng: &mut Rng, size: usize) -> Vec<u8> {
    let mut s = String::with_capacity(size + 4096);
    s.push_str("{\"status\":\"ok\",\"page\":1,\"results\":[");
    let mut id = 100_000 + rng.below(900_000);
    let mut ts = 1_700_000_000u64 + rng.below(10_000_000) as u64;
    let mut first = true;
    while s.len() < size {
        if !first {
            s.push(',');
        }
        first = false;
        id += 1 + rng.below(3);
        ts += rng.below(5000) as u64;
        let (f, l) = (rng.pick(FIRST), rng.pick(LAST));
        s.push_str(&format!(
            "{{\"id\":{id},\"name\":\"{f} {l}\",\"email\":\"{}.{}@example.com\",\"created_at\":{ts},\"active\":{},\"score\":{}.{},\"tags\":[\"{}\",\"{}\"],\"address\":{{\"city\":\"{}\",\"zip\":\"{:05}\"}},\"bio\":\"",
            f.to_lowercase(),
            l.to_lowercase(),
            rng.below(4) != 0,
            rng.below(100),
            rng.below(1000),
            rng.pick(WORDS),
            rng.pick(WORDS),
            rng.pick(LAST),
            rng.below(100_000),
        ));
        sentence(rng, &mut s, 3, 12);
        s.push_str("\"}");
    }
    s.push_str("]}\n");
    s.truncate(size);
    s.into_bytes()
}

fn logs(rng: &mut Rng, size: usize) -> Vec<u8> {
    const MONTHS: &[&str] = &["Jan", "Feb", "Mar", "Apr", "May", "Jun"];
    let mut s = String::with_capacity(size + 1024);
    let mut t = rng.below(3600 * 24 * 20) as u64;
    while s.len() < size {
        t += rng.below(3) as u64;
        let (day, rest) = (1 + t / 86400, t % 86400);
        let path = rng.pick(PATHS);
        let query = if rng.below(3) == 0 {
            format!("?id={}&ref={}", rng.below(100_000), rng.pick(WORDS))
        } else {
            String::new()
        };
        s.push_str(&format!(
            "{}.{}.{}.{} - - [{:02}/{}/2024:{:02}:{:02}:{:02} +0000] \"{} {path}{query} HTTP/1.1\" {} {} \"https://www.example.com{}\" \"{}\"\n",
            10 + rng.below(200),
            rng.below(256),
            rng.below(256),
            1 + rng.below(254),
            day % 28 + 1,
            MONTHS[(day / 28) as usize % MONTHS.len()],
            rest / 3600,
            rest / 60 % 60,
            rest % 60,
            rng.pick(METHODS),
            rng.pick(STATUS),
            rng.below(200_000),
            rng.pick(PATHS),
            rng.pick(AGENTS),
        ));
    }
    s.truncate(size);
    s.into_bytes()
}

#[cfg(test)]
mod tests {
    #[test]
    fn deterministic_and_sized() {
        let a = super::generate(100_000);
        let b = super::generate(100_000);
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.data, y.data);
        }
        for g in ["html", "json", "logs"] {
            let total: usize = a
                .iter()
                .filter(|f| f.group == g)
                .map(|f| f.data.len())
                .sum();
            assert_eq!(total, 100_000, "{g}");
        }
    }
}
