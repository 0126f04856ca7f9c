// semipack 3D viewer: WebGL, no dependencies, no network. Reads the JSON payload in
// <script id="model-data" type="application/json">: {parts: [{name, role, material,
// color: [r,g,b,a], v: base64 float32 xyz (mm), f: base64 uint32 triangles}]}.
// Drag to orbit, wheel to zoom, shift-drag to pan; role check-boxes hide bodies.
(function () {
  "use strict";
  var canvas = document.getElementById("viewer");
  var status = document.getElementById("viewer-status");
  var data = JSON.parse(document.getElementById("model-data").textContent);

  function decode(b64, Type) {
    var bin = atob(b64), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Type(bytes.buffer);
  }

  var gl = canvas.getContext("webgl", { antialias: true, preserveDrawingBuffer: true });
  if (!gl) {
    status.textContent = "WebGL is not available in this browser: the 3D view is off.";
    document.body.dataset.viewer = "no-webgl";
    return;
  }

  // Flat-shaded, non-indexed triangles grouped by role (one draw call per group and pass).
  var lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  var groups = {}, triangles = 0;
  data.parts.forEach(function (p) {
    var v = decode(p.v, Float32Array), f = decode(p.f, Uint32Array);
    var key = p.role + (p.color[3] < 1 ? "|t" : "|o");
    var g = groups[key] || (groups[key] = { role: p.role, transparent: p.color[3] < 1, pos: [], nrm: [], col: [] });
    for (var t = 0; t < f.length; t += 3) {
      var a = f[t] * 3, b = f[t + 1] * 3, c = f[t + 2] * 3;
      var ux = v[b] - v[a], uy = v[b + 1] - v[a + 1], uz = v[b + 2] - v[a + 2];
      var wx = v[c] - v[a], wy = v[c + 1] - v[a + 1], wz = v[c + 2] - v[a + 2];
      var nx = uy * wz - uz * wy, ny = uz * wx - ux * wz, nz = ux * wy - uy * wx;
      var nl = Math.sqrt(nx * nx + ny * ny + nz * nz) || 1;
      [a, b, c].forEach(function (k) {
        g.pos.push(v[k], v[k + 1], v[k + 2]);
        g.nrm.push(nx / nl, ny / nl, nz / nl);
        g.col.push(p.color[0], p.color[1], p.color[2], p.color[3]);
        for (var d = 0; d < 3; d++) { lo[d] = Math.min(lo[d], v[k + d]); hi[d] = Math.max(hi[d], v[k + d]); }
      });
    }
    triangles += f.length / 3;
  });

  function buffer(arr) {
    var b = gl.createBuffer();
    gl.bindBuffer(gl.ARRAY_BUFFER, b);
    gl.bufferData(gl.ARRAY_BUFFER, new Float32Array(arr), gl.STATIC_DRAW);
    return b;
  }
  var list = Object.keys(groups).sort().map(function (k) {
    var g = groups[k];
    var out = { role: g.role, transparent: g.transparent, count: g.pos.length / 3,
                pos: buffer(g.pos), nrm: buffer(g.nrm), col: buffer(g.col) };
    g.pos = g.nrm = g.col = null;
    return out;
  });

  function shader(type, src) {
    var s = gl.createShader(type);
    gl.shaderSource(s, src);
    gl.compileShader(s);
    if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) throw new Error(gl.getShaderInfoLog(s));
    return s;
  }
  var prog = gl.createProgram();
  gl.attachShader(prog, shader(gl.VERTEX_SHADER,
    "attribute vec3 p; attribute vec3 n; attribute vec4 c; uniform mat4 m; uniform vec3 s;" +
    "varying vec3 vn; varying vec4 vc;" +
    "void main(){ gl_Position = m * vec4(p * s, 1.0); vn = normalize(n / s); vc = c; }"));
  gl.attachShader(prog, shader(gl.FRAGMENT_SHADER,
    "precision mediump float; varying vec3 vn; varying vec4 vc; uniform mat4 r;" +
    "void main(){ vec3 n = normalize((r * vec4(vn, 0.0)).xyz);" +
    " float l = 0.35 + 0.65 * abs(dot(n, normalize(vec3(0.3, 0.5, 0.8))));" +
    " gl_FragColor = vec4(vc.rgb * l, vc.a); }"));
  gl.linkProgram(prog);
  if (!gl.getProgramParameter(prog, gl.LINK_STATUS)) throw new Error(gl.getProgramInfoLog(prog));
  gl.useProgram(prog);
  var loc = { p: gl.getAttribLocation(prog, "p"), n: gl.getAttribLocation(prog, "n"), c: gl.getAttribLocation(prog, "c"),
              m: gl.getUniformLocation(prog, "m"), r: gl.getUniformLocation(prog, "r"), s: gl.getUniformLocation(prog, "s") };

  var centre = [(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, (lo[2] + hi[2]) / 2];
  var size = Math.max(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]) || 1;
  var view = { yaw: -0.6, pitch: 0.9, dist: 1.0, pan: [0, 0], zscale: 1, hidden: {} };

  function mul(a, b) {
    var o = new Array(16);
    for (var i = 0; i < 4; i++) for (var j = 0; j < 4; j++) {
      var s = 0;
      for (var k = 0; k < 4; k++) s += a[k * 4 + j] * b[i * 4 + k];
      o[i * 4 + j] = s;
    }
    return o;
  }
  function rotation() {
    var cy = Math.cos(view.yaw), sy = Math.sin(view.yaw), cp = Math.cos(view.pitch), sp = Math.sin(view.pitch);
    var rz = [cy, sy, 0, 0, -sy, cy, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    var rx = [1, 0, 0, 0, 0, cp, -sp, 0, 0, sp, cp, 0, 0, 0, 0, 1];
    return mul(rx, rz);  // column-major: yaw about z, then tilt about the screen's x
  }

  function draw() {
    var w = canvas.clientWidth, h = canvas.clientHeight;
    if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
    gl.viewport(0, 0, w, h);
    gl.clearColor(0.97, 0.97, 0.98, 1);
    gl.clear(gl.COLOR_BUFFER_BIT | gl.DEPTH_BUFFER_BIT);
    gl.enable(gl.DEPTH_TEST);
    var zs = view.zscale, k = 1.6 / (size * view.dist), asp = w / Math.max(h, 1);
    var t = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, -centre[0], -centre[1], -centre[2] * zs, 1];
    var r = rotation();
    var kz = 1 / (size * Math.max(1, zs));  // depth range independent of the zoom
    var sc = [k / Math.max(asp, 1), 0, 0, 0, 0, k * Math.min(asp, 1), 0, 0, 0, 0, -kz, 0,
              view.pan[0], view.pan[1], 0, 1];
    var m = mul(sc, mul(r, t));
    gl.uniformMatrix4fv(loc.m, false, new Float32Array(m));
    gl.uniformMatrix4fv(loc.r, false, new Float32Array(r));
    gl.uniform3f(loc.s, 1, 1, zs);
    [false, true].forEach(function (pass) {
      gl.depthMask(!pass);
      if (pass) { gl.enable(gl.BLEND); gl.blendFunc(gl.SRC_ALPHA, gl.ONE_MINUS_SRC_ALPHA); } else gl.disable(gl.BLEND);
      list.forEach(function (g) {
        if (g.transparent !== pass || view.hidden[g.role]) return;
        [["p", g.pos, 3], ["n", g.nrm, 3], ["c", g.col, 4]].forEach(function (a) {
          gl.bindBuffer(gl.ARRAY_BUFFER, a[1]);
          gl.enableVertexAttribArray(loc[a[0]]);
          gl.vertexAttribPointer(loc[a[0]], a[2], gl.FLOAT, false, 0, 0);
        });
        gl.drawArrays(gl.TRIANGLES, 0, g.count);
      });
    });
    gl.depthMask(true);
  }

  var drag = null;
  canvas.addEventListener("mousedown", function (e) { drag = { x: e.clientX, y: e.clientY, pan: e.shiftKey || e.button === 2 }; });
  window.addEventListener("mouseup", function () { drag = null; });
  window.addEventListener("mousemove", function (e) {
    if (!drag) return;
    var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    drag.x = e.clientX; drag.y = e.clientY;
    if (drag.pan) { view.pan[0] += 2 * dx / canvas.clientWidth; view.pan[1] -= 2 * dy / canvas.clientHeight; }
    else { view.yaw += dx * 0.01; view.pitch = Math.max(0, Math.min(Math.PI, view.pitch + dy * 0.01)); }
    draw();
  });
  canvas.addEventListener("contextmenu", function (e) { e.preventDefault(); });
  canvas.addEventListener("wheel", function (e) {
    e.preventDefault();
    view.dist = Math.max(0.05, Math.min(20, view.dist * Math.exp(e.deltaY * 0.001)));
    draw();
  }, { passive: false });

  var controls = document.getElementById("viewer-controls");
  var roles = {};
  list.forEach(function (g) { roles[g.role] = true; });
  Object.keys(roles).sort().forEach(function (role) {
    var label = document.createElement("label"), box = document.createElement("input");
    box.type = "checkbox"; box.checked = true;
    box.addEventListener("change", function () { view.hidden[role] = !box.checked; draw(); });
    label.appendChild(box); label.appendChild(document.createTextNode(" " + role.replace(/_/g, " ")));
    controls.appendChild(label);
  });
  var zsel = document.getElementById("viewer-z");
  zsel.addEventListener("change", function () { view.zscale = parseFloat(zsel.value); draw(); });
  document.getElementById("viewer-reset").addEventListener("click", function () {
    view.yaw = -0.6; view.pitch = 0.9; view.dist = 1.0; view.pan = [0, 0]; draw();
  });
  window.addEventListener("resize", draw);

  draw();
  status.textContent = data.parts.length + " bodies, " + triangles + " triangles (drag: orbit, wheel: zoom, shift-drag: pan)";
  document.body.dataset.viewer = "ok " + triangles;
})();
