/* The map: areas drawn as SVG from the store's map paths (see dashboard/svgmap.py).

   The payload (one per year and niveau: codes, names, boxes and SVG paths in a fixed screen
   projection) is fetched once and cached by the browser (immutable URL). A view has two
   parts, both from the server: "geo" (which payload, which areas, focus-area groups, the
   selection) builds the paths; "paint" (a class per area, the palette, the value text)
   only recolours them, without touching any path's geometry.

   Mouse: hover shows a tooltip, a click drills down, the wheel zooms, dragging pans.
   Touch: a tap shows the tooltip (with how to open the area), a second tap on the same
   area drills down, dragging pans.
   Keyboard: the map is one Tab stop; arrow keys move to the nearest area in that direction,
   Enter drills down, + and - zoom, 0 resets. Every area has role, name and value. */
window.zichtMap = (function () {
    "use strict";
    var SVG = "http://www.w3.org/2000/svg";
    var payloads = {};

    function load(url) {
        if (!payloads[url]) {
            payloads[url] = fetch(url, {credentials: "same-origin"}).then(function (r) {
                if (!r.ok) { throw new Error("map paths " + url + ": HTTP " + r.status); }
                return r.json();
            });
            payloads[url].catch(function () { delete payloads[url]; });
        }
        return payloads[url];
    }

    function el(name, attrs, parent) {
        var node = document.createElementNS(SVG, name);
        Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
        if (parent) { parent.appendChild(node); }
        return node;
    }

    /* Absolute vertices of each ring of a path "M x y l dx dy ... z". */
    function rings(d) {
        var out = [];
        d.split("z").forEach(function (part) {
            if (!part) { return; }
            var nums = part.replace("M", "").replace("l", " ").match(/-?\d+/g).map(Number);
            var x = nums[0], y = nums[1], ring = [[x, y]];
            for (var i = 2; i + 1 < nums.length; i += 2) {
                x += nums[i]; y += nums[i + 1];
                ring.push([x, y]);
            }
            out.push(ring);
        });
        return out;
    }

    /* The outline of a group of areas: the edges no two members share (neighbours in a
       simplified coverage share their border vertex for vertex). */
    function outline(paths) {
        var count = {}, segs = {};
        paths.forEach(function (d) {
            rings(d).forEach(function (ring) {
                for (var i = 0; i < ring.length; i++) {
                    var a = ring[i], b = ring[(i + 1) % ring.length];
                    var ka = a[0] + "," + a[1], kb = b[0] + "," + b[1];
                    var key = ka < kb ? ka + " " + kb : kb + " " + ka;
                    count[key] = (count[key] || 0) + 1;
                    segs[key] = "M" + a[0] + " " + a[1] + "L" + b[0] + " " + b[1];
                }
            });
        });
        return Object.keys(count).filter(function (k) { return count[k] === 1; })
            .map(function (k) { return segs[k]; }).join("");
    }

    function unionBox(boxes) {
        var b = [Infinity, Infinity, -Infinity, -Infinity];
        boxes.forEach(function (x) {
            b[0] = Math.min(b[0], x[0]); b[1] = Math.min(b[1], x[1]);
            b[2] = Math.max(b[2], x[2]); b[3] = Math.max(b[3], x[3]);
        });
        return isFinite(b[0]) ? b : [0, 0, 1, 1];
    }

    function padded(b) {
        var w = Math.max(b[2] - b[0], 1), h = Math.max(b[3] - b[1], 1), p = 0.03 * Math.max(w, h);
        return [b[0] - p, b[1] - p, w + 2 * p, h + 2 * p];
    }

    function setBox(st, box) {
        st.box = box;
        st.svg.setAttribute("viewBox", box.map(function (v) { return v.toFixed(1); }).join(" "));
    }

    function zoom(st, factor, cx, cy) {
        var b = st.box, home = st.home;
        var w = Math.min(Math.max(b[2] * factor, home[2] / 64), home[2] * 1.5);
        var h = w * b[3] / b[2];
        cx = cx === undefined ? b[0] + b[2] / 2 : cx;
        cy = cy === undefined ? b[1] + b[3] / 2 : cy;
        setBox(st, [cx - (cx - b[0]) * w / b[2], cy - (cy - b[1]) * h / b[3], w, h]);
    }

    function toMap(st, clientX, clientY) {
        var m = st.svg.getScreenCTM();
        if (!m) { return [undefined, undefined]; }
        var p = st.svg.createSVGPoint();
        p.x = clientX; p.y = clientY;
        p = p.matrixTransform(m.inverse());
        return [p.x, p.y];
    }

    function label(st, i) {
        var name = st.names[i] || st.codes[i];
        var paint = st.paint;
        var value = paint && paint.values && paint.values[0] ? paint.values[0][i] : "";
        return value ? name + ": " + value : name;
    }

    function showTip(st, i, clientX, clientY, hint) {
        var tip = st.tip, paint = st.paint || {};
        tip.textContent = "";
        var head = document.createElement("strong");
        head.textContent = st.names[i] || st.codes[i];
        tip.appendChild(head);
        tip.appendChild(document.createTextNode(" (" + st.codes[i] + ")"));
        (paint.lines || []).forEach(function (line, j) {
            var row = document.createElement("div");
            row.textContent = line + ": " + ((paint.values[j] || [])[i] || "–");
            tip.appendChild(row);
        });
        if (hint) {
            var more = document.createElement("div");
            more.className = "zmap-hint";
            more.textContent = hint;
            tip.appendChild(more);
        }
        var r = st.root.getBoundingClientRect();
        var x = clientX - r.left, y = clientY - r.top;
        tip.hidden = false;
        tip.style.left = Math.min(x + 14, r.width - tip.offsetWidth - 4) + "px";
        tip.style.top = Math.max(y - tip.offsetHeight - 10, 4) + "px";
    }

    function hover(st, i) {
        if (st.hovered !== undefined && st.paths[st.hovered]) {
            st.paths[st.hovered].classList.remove("hover");
        }
        st.hovered = i;
        if (i !== undefined) { st.paths[i].classList.add("hover"); }
    }

    function drill(st, i) {
        var target = st.geo.targets ? st.geo.targets[i] : st.codes[i];
        if (!st.geo.click || !target) { return; }
        window.dash_clientside.set_props(st.geo.click, {
            data: {points: [{location: target}], t: Date.now()}
        });
    }

    function focusArea(st, i) {
        if (st.current !== undefined && st.paths[st.current]) {
            st.paths[st.current].setAttribute("tabindex", "-1");
        }
        st.current = i;
        var p = st.paths[i];
        p.setAttribute("tabindex", "0");
        p.focus({preventScroll: true});
        var b = st.boxes[i], r = p.getBoundingClientRect();
        hover(st, i);
        showTip(st, i, r.left + r.width / 2, r.top + r.height / 2);
        var v = st.box;
        if (b[2] < v[0] || b[0] > v[0] + v[2] || b[3] < v[1] || b[1] > v[1] + v[3]) {
            setBox(st, [(b[0] + b[2] - v[2]) / 2, (b[1] + b[3] - v[3]) / 2, v[2], v[3]]);
        }
    }

    /* The nearest area whose centre lies in the arrow's direction (within 45 degrees). */
    function neighbour(st, i, dx, dy) {
        var c = st.centres[i], best, score = Infinity;
        for (var j = 0; j < st.centres.length; j++) {
            if (j === i) { continue; }
            var vx = st.centres[j][0] - c[0], vy = st.centres[j][1] - c[1];
            var along = vx * dx + vy * dy, across = Math.abs(vx * dy - vy * dx);
            if (along <= 0 || across > along) { continue; }
            var s = along + 2 * across;
            if (s < score) { score = s; best = j; }
        }
        return best;
    }

    function keys(st, event) {
        var i = st.current === undefined ? 0 : st.current;
        var dirs = {ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1]};
        if (dirs[event.key]) {
            var j = neighbour(st, i, dirs[event.key][0], dirs[event.key][1]);
            if (j !== undefined) { focusArea(st, j); }
        } else if (event.key === "Enter" || event.key === " ") {
            drill(st, i);
        } else if (event.key === "+" || event.key === "=") {
            zoom(st, 1 / 1.5);
        } else if (event.key === "-") {
            zoom(st, 1.5);
        } else if (event.key === "0") {
            setBox(st, st.home.slice());
        } else if (event.key === "Escape") {
            st.tip.hidden = true;
            hover(st, undefined);
            return;
        } else {
            return;
        }
        event.preventDefault();
    }

    function indexOf(st, target) {
        var i = target && target.dataset ? target.dataset.i : undefined;
        return i === undefined ? undefined : Number(i);
    }

    function controls(st) {
        var bar = document.createElement("div");
        bar.className = "zmap-zoom no-print";
        [["+", "zoom_in", function () { zoom(st, 1 / 1.5); }],
         ["\u2212", "zoom_out", function () { zoom(st, 1.5); }],
         ["\u21ba", "reset", function () { setBox(st, st.home.slice()); }]].forEach(function (b) {
            var button = document.createElement("button");
            button.type = "button";
            button.textContent = b[0];
            button.className = "zmap-" + b[1];
            button.setAttribute("aria-label", st.geo.words[b[1]]);
            button.title = st.geo.words[b[1]];
            button.addEventListener("click", b[2]);
            bar.appendChild(button);
        });
        return bar;
    }

    function listen(st) {
        var svg = st.svg, drag = null;
        svg.addEventListener("mousemove", function (e) {
            var i = indexOf(st, e.target);
            if (i === undefined) { st.tip.hidden = true; hover(st, undefined); return; }
            if (i !== st.hovered) { hover(st, i); }
            showTip(st, i, e.clientX, e.clientY);
        });
        svg.addEventListener("mouseleave", function () { st.tip.hidden = true; hover(st, undefined); });
        svg.addEventListener("click", function (e) {
            if (st.dragged) { return; }
            var i = indexOf(st, e.target);
            if (i === undefined) { st.tapped = undefined; st.tip.hidden = true; return; }
            if (st.touched && st.geo.click && st.tapped !== i) {
                // a finger has no hover: the first tap shows what the area is
                st.tapped = i;
                hover(st, i);
                showTip(st, i, e.clientX, e.clientY, st.geo.words.tap_again);
                return;
            }
            st.tapped = undefined;
            drill(st, i);
        });
        svg.addEventListener("focusin", function (e) {
            var i = indexOf(st, e.target);
            if (i !== undefined && i !== st.current) { focusArea(st, i); }
        });
        svg.addEventListener("keydown", function (e) { keys(st, e); });
        svg.addEventListener("wheel", function (e) {
            e.preventDefault();
            var p = toMap(st, e.clientX, e.clientY);
            zoom(st, e.deltaY > 0 ? 1.25 : 0.8, p[0], p[1]);
        }, {passive: false});
        svg.addEventListener("pointerdown", function (e) {
            st.touched = e.pointerType === "touch" || e.pointerType === "pen";
            drag = {x: e.clientX, y: e.clientY, box: st.box.slice()};
            st.dragged = false;
        });
        window.addEventListener("pointermove", function (e) {
            if (!drag || !st.svg.isConnected) { return; }
            var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
            if (!st.dragged && Math.abs(dx) + Math.abs(dy) < 4) { return; }
            st.dragged = true;
            var scale = drag.box[2] / svg.getBoundingClientRect().width;
            setBox(st, [drag.box[0] - dx * scale, drag.box[1] - dy * scale, drag.box[2], drag.box[3]]);
        });
        window.addEventListener("pointerup", function () {
            drag = null;
            setTimeout(function () { st.dragged = false; }, 0);
        });
    }

    function build(root, geo, payload) {
        var index = {};
        payload.codes.forEach(function (c, i) { index[c] = i; });
        var wanted = geo.codes || payload.codes;
        var st = {root: root, geo: geo, key: geo.key, codes: [], names: [], boxes: [],
                  centres: [], paths: []};
        root.textContent = "";
        var svg = el("svg", {"class": "zmap-svg", role: "group", "aria-label": geo.label,
                             preserveAspectRatio: "xMidYMid meet"});
        st.svg = svg;
        var areas = el("g", {"class": "zmap-areas"}, svg);
        var byCode = {};
        wanted.forEach(function (code, k) {
            var i = index[code];
            if (i === undefined) { return; }
            var n = st.paths.length;
            var path = el("path", {d: payload.paths[i], "data-i": n, "data-code": code,
                                   tabindex: n === 0 ? "0" : "-1",
                                   role: geo.click ? "link" : "img"}, areas);
            var b = payload.boxes[i];
            st.codes.push(code);
            st.names.push((geo.names && geo.names[k]) || payload.names[i] || code);
            st.boxes.push(b);
            st.centres.push([(b[0] + b[2]) / 2, (b[1] + b[3]) / 2]);
            st.paths.push(path);
            byCode[code] = n;
        });
        st.index = byCode;
        (geo.selected || []).forEach(function (code) {
            var n = byCode[code];
            if (n !== undefined) {
                st.paths[n].classList.add("selected");
                areas.appendChild(st.paths[n]);  // drawn on top
            }
        });
        st.focus = el("g", {"class": "zmap-focus"}, svg);
        (geo.focus || []).forEach(function (group) {
            var ds = group.map(function (c) { return payload.paths[index[c]]; })
                .filter(function (d) { return d; });
            if (ds.length) { el("path", {d: outline(ds)}, st.focus); }
        });
        var fit = geo.fit ? geo.fit.map(function (c) { return byCode[c]; })
            .filter(function (n) { return n !== undefined; })
            .map(function (n) { return st.boxes[n]; }) : st.boxes;
        st.home = padded(unionBox(fit.length ? fit : st.boxes));
        setBox(st, st.home.slice());
        st.tip = document.createElement("div");
        st.tip.className = "zmap-tip";
        st.tip.hidden = true;
        st.tip.setAttribute("role", "status");
        root.appendChild(svg);
        root.appendChild(st.tip);
        root.appendChild(controls(st));
        root.dataset.areas = String(st.paths.length);
        listen(st);
        root._zmap = st;
        return st;
    }

    /* Colour every area by its class; a fill or label that stays the same is not written
       again (each write costs the browser a style pass over that path). */
    function paint(st, p) {
        st.paint = p;
        var colours = p.palette || [];
        for (var i = 0; i < st.paths.length; i++) {
            var c = p.classes[i];
            var path = st.paths[i];
            var fill = c >= 0 && c < colours.length ? colours[c] : (c === -2 ? p.context : p.nodata);
            if (path.__fill !== fill) { path.setAttribute("fill", fill); path.__fill = fill; }
            var name = label(st, i);
            if (path.__label !== name) { path.setAttribute("aria-label", name); path.__label = name; }
        }
        st.focus.style.display = p.focus === false ? "none" : "";
        st.root.dataset.painted = p.key || "";
        st.root.dataset.described = p.lines && p.lines.length ? p.key || "" : "";
    }

    /* A change of measure, at once: the colouring of the new measure from the view's bundle
       (dashboard/mapview.py recolours), before the server's paint brings its hover text (until
       then the tooltip names the area only). The legend, heading and lead follow once the
       new colours are on screen (set_props after that frame: a component update costs Dash
       a render pass that would otherwise delay the colours). Nothing happens when the bundle
       does not fit the map on screen or it shows that measure already. */
    function recolour(maat, bundle) {
        var entry = bundle && bundle.maat ? bundle.maat[maat] : undefined;
        var root = bundle ? document.getElementById(bundle.el) : null;
        var st = root && root._zmap;
        if (!entry || !st || st.key !== bundle.geokey || !st.svg.isConnected) { return; }
        var before = st.paint || {};
        var suffix = "-" + bundle.colouring;
        if (before.key === entry.key || String(before.key).slice(-suffix.length) !== suffix) {
            return;  // already shown, or the scoring or language changed since
        }
        paint(st, {key: entry.key, classes: entry.classes, palette: entry.palette,
                   nodata: before.nodata, context: before.context, lines: [], values: [],
                   focus: before.focus});
        if (st.tip && !st.tip.hidden && st.hovered !== undefined) {
            var r = st.paths[st.hovered].getBoundingClientRect();
            showTip(st, st.hovered, r.left + r.width / 2, r.top + r.height / 2);
        }
        requestAnimationFrame(function () {  // the frame that shows the colours …
            requestAnimationFrame(function () {  // … has been drawn
                if (!st.paint || st.paint.key !== entry.key) { return; }  // overtaken
                Object.keys(bundle.texts).forEach(function (id) {
                    window.dash_clientside.set_props(id, {children: entry[bundle.texts[id]]});
                });
            });
        });
    }

    function draw(geo, p) {
        if (!geo || !geo.el) { return window.dash_clientside.no_update; }
        var root = document.getElementById(geo.el);
        if (!root) { return window.dash_clientside.no_update; }
        root.dataset.state = "loading";
        var st = root._zmap;
        if (st && st.key === geo.key && st.svg.isConnected) {
            if (p) { paint(st, p); }
            root.dataset.state = "drawn";
            return window.dash_clientside.no_update;
        }
        root._want = geo.key;
        // a gemeente's slice is small, but the national file, once here, holds it too
        var source = geo.whole && payloads[geo.whole] ? geo.whole : geo.url;
        load(source).then(function (payload) {
            if (root._want !== geo.key) { return; }
            var built = build(root, geo, payload);
            if (p) { paint(built, p); }
            root.dataset.state = "drawn";
            if (geo.drawn) {
                requestAnimationFrame(function () {
                    window.dash_clientside.set_props(geo.drawn, {data: geo.key});
                });
            }
        }).catch(function (err) {
            root.dataset.state = "failed";
            root.textContent = geo.words.failed;
            if (window.console) { console.warn(String(err)); }
        });
        return window.dash_clientside.no_update;
    }

    /* Fetch the map paths an index page preloads now, so they are parsed while Dash starts. */
    document.querySelectorAll('link[rel="preload"][as="fetch"]').forEach(function (link) {
        if (link.href.indexOf("/map-paths/") !== -1) { load(link.getAttribute("href")); }
    });

    return {draw: draw, recolour: recolour, outline: outline};
})();
