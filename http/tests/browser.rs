//! A real browser through the slz layer: headless Chromium (Debian's `chromium`) loads a page
//! whose JavaScript, CSS and JSON are served compressed, and a Server-Sent Events page whose
//! every event must reach the browser before the server sends the next.

mod web;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use slz_http::CompressionLayer;

const EVENTS: u32 = 6;

fn site(root: &Path) -> u64 {
    let items: Vec<String> = (1..=400)
        .map(|i| format!("{{\"id\": {i}, \"label\": \"item number {i}\"}}"))
        .collect();
    std::fs::write(root.join("data.json"), format!("[{}]", items.join(", "))).unwrap();
    std::fs::write(
        root.join("index.html"),
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>slz</title>\
         <link rel=\"stylesheet\" href=\"/style.css\"></head><body>\
         <div id=\"probe\">probe</div><script src=\"/app.js\"></script></body></html>",
    )
    .unwrap();
    let mut css = String::from("#probe { width: 123px; height: 7px; overflow: hidden; }\n");
    for i in 0..50 {
        css.push_str(&format!(
            ".unused-{i} {{ color: #{i:06x}; margin: {i}px; }}\n"
        ));
    }
    std::fs::write(root.join("style.css"), css).unwrap();
    std::fs::write(
        root.join("app.js"),
        r#"// Runs before the load event, so --dump-dom shows what it writes.
(function () {
  var xhr = new XMLHttpRequest();
  xhr.open('GET', '/data.json', false); // synchronous: done before the page finishes loading
  xhr.send();
  var items = JSON.parse(xhr.responseText);
  var sum = 0;
  for (var i = 0; i < items.length; i++) { sum += items[i].id; }
  var width = getComputedStyle(document.getElementById('probe')).width;
  var p = document.createElement('p');
  p.id = 'result';
  p.textContent = 'JSON OK count=' + items.length + ' sum=' + sum + ' last=' + items[items.length - 1].label +
    (width === '123px' ? ' CSS OK' : ' CSS MISSING ' + width);
  document.body.appendChild(p);
})();
"#,
    )
    .unwrap();
    std::fs::write(
        root.join("events.html"),
        format!(
            r#"<!doctype html><html><head><meta charset="utf-8"></head><body><p id="out"></p><script>
var got = [];
var es = new EventSource('/events?n={EVENTS}');
es.onmessage = function (e) {{
  var n = JSON.parse(e.data).n;
  got.push(n);
  document.getElementById('out').textContent = got.join(',');
  fetch('/ack?n=' + n);
  if (got.length === {EVENTS}) {{ es.close(); fetch('/report?sse=' + got.join(',')); }}
}};
es.addEventListener('timeout', function (e) {{ es.close(); fetch('/report?sse=timeout-' + e.data); }});
es.onerror = function () {{ if (got.length < {EVENTS}) {{ fetch('/report?sse=error-after-' + got.length); es.close(); }} }};
</script></body></html>"#
        ),
    )
    .unwrap();
    (1..=400).sum()
}

fn chromium_cmd(chromium: &Path, profile: &Path) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(chromium);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .stdin(Stdio::null())
    // Killed when dropped (a timeout drops it). Started as the workplace's notes say to
    // start it: with a process group of its own, a group kill after it exited and
    // --disable-dev-shm-usage, a run of these tests took down processes outside the test
    // (the test run and the shell that started it) on this machine.
    .kill_on_drop(true);
    cmd
}

async fn page_runs_on_decoded_json(chromium: PathBuf, layer: CompressionLayer, coding: &str) {
    let root = web::temp_dir("site");
    let sum = site(&root);
    let srv = web::start(Some(root.clone()), Some(layer)).await;
    let profile = web::temp_dir("chromium");
    let mut cmd = chromium_cmd(&chromium, &profile);
    cmd.arg("--dump-dom")
        .arg(format!("http://{}/index.html", srv.addr));
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let child = cmd.spawn().expect("chromium starts");
    let out = tokio::time::timeout(Duration::from_secs(90), child.wait_with_output()).await;
    let out = out
        .expect("chromium --dump-dom finished within 90 s")
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    let want = format!("JSON OK count=400 sum={sum} last=item number 400 CSS OK");
    assert!(
        dom.contains(&want),
        "the page script did not run on the JSON: {dom}\nstderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log = srv.log.lock().unwrap().clone();
    for path in ["/index.html", "/app.js", "/style.css", "/data.json"] {
        let sent = log
            .iter()
            .find(|(p, _)| p == path)
            .unwrap_or_else(|| panic!("{path} not requested: {log:?}"));
        assert_eq!(
            sent.1.as_deref(),
            Some(coding),
            "{path} was served {coding}-compressed: {log:?}"
        );
    }
    std::fs::remove_dir_all(root).ok();
    std::fs::remove_dir_all(profile).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chromium_runs_a_page_served_compressed() {
    let Some(chromium) = web::tool("chromium") else {
        return;
    };
    page_runs_on_decoded_json(chromium.clone(), CompressionLayer::new(), "gzip").await;
    // HTTP's deflate is zlib: the browser must decode it too.
    page_runs_on_decoded_json(chromium, CompressionLayer::new().gzip(false), "deflate").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chromium_gets_each_server_sent_event_before_the_next() {
    let Some(chromium) = web::tool("chromium") else {
        return;
    };
    let root = web::temp_dir("sse");
    site(&root);
    let mut srv = web::start(Some(root.clone()), Some(CompressionLayer::new())).await;
    let profile = web::temp_dir("chromium");
    let mut cmd = chromium_cmd(&chromium, &profile);
    cmd.arg(format!("http://{}/events.html", srv.addr))
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let child = cmd.spawn().expect("chromium starts");
    // The page reports when it has all events (the server sends each only after the page
    // acked the previous one), or that the server gave up waiting for an ack.
    let report = tokio::time::timeout(Duration::from_secs(90), srv.reports.recv()).await;
    drop(child);
    let report = report.expect("the SSE page reported within 90 s").unwrap();
    let want: Vec<String> = (1..=EVENTS).map(|n| n.to_string()).collect();
    assert_eq!(report, format!("sse={}", want.join(",")));
    let log = srv.log.lock().unwrap().clone();
    let events = log
        .iter()
        .find(|(p, _)| p == "/events")
        .expect("/events requested");
    assert_eq!(
        events.1.as_deref(),
        Some("gzip"),
        "the event stream was compressed: {log:?}"
    );
    std::fs::remove_dir_all(root).ok();
    std::fs::remove_dir_all(profile).ok();
}
