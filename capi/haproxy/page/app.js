// Runs before the load event (the XMLHttpRequest is synchronous), so `chromium --dump-dom`
// shows what it writes. Everything it checks was decoded by the browser from the proxy's
// compressed responses: bootstrap.css (a rule applied), jquery.js (the library ran), and
// properties.json (parsed, and hashed exactly as e2e.sh hashes the origin's file).
(function () {
  var out = [];
  var xhr = new XMLHttpRequest();
  xhr.open('GET', '/properties.json', false);
  xhr.send();
  var text = xhr.responseText;
  var data = JSON.parse(text);
  // FNV-1a (32 bits) over the UTF-16 code units of the decoded text.
  var h = 0x811c9dc5;
  for (var i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  }
  out.push('json=' + text.length + ':' + h.toString(16) + ':' + Object.keys(data).length);
  out.push('jquery=' + (window.jQuery ? jQuery.fn.jquery : 'missing'));
  var probe = document.getElementById('probe');
  var cs = getComputedStyle(probe);
  out.push('css=' + cs.display + ',' + cs.textAlign);
  // Resource Timing: a body that came compressed has encodedBodySize < decodedBodySize.
  var entries = performance.getEntriesByType('resource');
  for (var j = 0; j < entries.length; j++) {
    var e = entries[j];
    out.push('res=' + new URL(e.name).pathname + ':' + e.encodedBodySize + ':' + e.decodedBodySize);
  }
  var p = document.createElement('p');
  p.id = 'result';
  p.textContent = 'E2E ' + out.join(' ') + ' END';
  document.body.appendChild(p);
})();
