// Fairbeam's report: draws the explorer (metric, threshold, baseline and slice controls; a chart
// and a sortable table per metric), the threshold explorer and the ROC, precision-recall and
// calibration curves from the data embedded in the page. Plain DOM and SVG, no library, no network.
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var errors = document.getElementById('fb-errors');
  function fail(message) {
    errors.hidden = false;
    var li = document.createElement('li');
    li.textContent = message;
    errors.querySelector('ul').appendChild(li);
  }
  window.addEventListener('error', function (e) { fail('Script error: ' + e.message); });
  document.addEventListener('securitypolicyviolation', function (e) {
    fail('Blocked by the page\'s security policy: ' + e.violatedDirective + ' ' + e.blockedURI);
  });

  // Colour-blind-safe colours (Okabe-Ito's hues, darkened or lightened), each at least 3:1 against
  // the page and the baseline's band in its colour scheme (ReportStyleTest); series also differ
  // by shape, and lines by dash.
  var LIGHT_COLOURS = ['#0072B2', '#D55E00', '#007D5A', '#AA3377', '#8C6D00', '#332288', '#882255',
    '#555555'];
  var DARK_COLOURS = ['#56B4E9', '#E69F00', '#2BC48F', '#E088B8', '#F0E442', '#A89CF0', '#FF8FB8',
    '#BBBBBB'];
  var COLOURS = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches
    ? DARK_COLOURS : LIGHT_COLOURS;
  var DASHES = ['', '6 3', '2 2', '8 3 2 3'];
  var SHAPES = ['circle', 'square', 'triangle', 'diamond'];
  // Definition and direction of the metrics the Fairness Indicators viewer explained, and more.
  var METRICS = {
    false_positive_rate: ['FPR', 'Share of actual negatives predicted positive: FP / (FP + TN).', 'lower'],
    false_negative_rate: ['FNR', 'Share of actual positives predicted negative: FN / (FN + TP).', 'lower'],
    true_positive_rate: ['TPR, recall', 'Share of actual positives predicted positive: TP / (TP + FN).', 'higher'],
    true_negative_rate: ['TNR', 'Share of actual negatives predicted negative: TN / (TN + FP).', 'higher'],
    positive_rate: ['PR', 'Share of examples predicted positive: (TP + FP) / all.', ''],
    negative_rate: ['NR', 'Share of examples predicted negative: (TN + FN) / all.', ''],
    false_discovery_rate: ['FDR', 'Share of positive predictions that are wrong: FP / (TP + FP).', 'lower'],
    false_omission_rate: ['FOR', 'Share of negative predictions that are wrong: FN / (TN + FN).', 'lower'],
    accuracy: ['', 'Share of examples predicted correctly: (TP + TN) / all.', 'higher'],
    binary_accuracy: ['', 'Share of examples predicted correctly: (TP + TN) / all.', 'higher'],
    precision: ['PPV', 'Share of positive predictions that are right: TP / (TP + FP).', 'higher'],
    recall: ['TPR', 'Share of actual positives predicted positive: TP / (TP + FN).', 'higher'],
    auc: ['ROC AUC', 'Area under the ROC curve: the chance a random positive scores above a random negative.', 'higher'],
    auc_precision_recall: ['PR AUC', 'Area under the precision-recall curve.', 'higher'],
    example_count: ['n', 'Examples in the slice.', ''],
    weighted_example_count: ['', 'Sum of the example weights in the slice.', ''],
    mean_label: ['', 'Mean of the label.', ''],
    mean_prediction: ['', 'Mean of the score.', ''],
    calibration: ['', 'Sum of scores over sum of labels: 1 is calibrated.', ''],
    mean_squared_error: ['MSE', 'Mean of the squared error of the score.', 'lower'],
    mean_absolute_error: ['MAE', 'Mean of the absolute error of the score.', 'lower'],
    binary_crossentropy: ['log loss', 'Mean negative log-likelihood of the label under the score.', 'lower'],
    mean_absolute_percentage_error: ['MAPE', 'Mean of 100 × |error| / |label|, over examples whose label is not 0.', 'lower'],
    mean_squared_logarithmic_error: ['MSLE', 'Mean of the squared difference of log(1 + label) and log(1 + score).', 'lower'],
    root_mean_squared_error: ['RMSE', 'Square root of the mean squared error of the score.', 'lower'],
    squared_pearson_correlation: ['r²', 'Squared correlation of the score with the label.', 'higher'],
    coefficient_of_discrimination: ['Tjur R²', 'Mean score of the positives minus mean score of the negatives.', 'higher'],
    relative_coefficient_of_discrimination: ['', 'Mean score of the positives over mean score of the negatives.', 'higher'],
    max_recall: ['', 'Recall when every score above 0 counts as positive.', 'higher'],
    sensitivity_at_specificity: ['', 'Best recall among thresholds that keep specificity at least the target.', 'higher'],
    specificity_at_sensitivity: ['', 'Best specificity among thresholds that keep recall at least the target.', 'higher'],
    precision_at_recall: ['', 'Best precision among thresholds that keep recall at least the target.', 'higher'],
    recall_at_precision: ['', 'Best recall among thresholds that keep precision at least the target.', 'higher'],
    recall_at_false_positive_rate: ['', 'Best recall among thresholds that keep the false positive rate at most the target.', 'higher'],
    threshold_at_recall: ['', 'Highest threshold that keeps recall at least the target.', ''],
    hinge: ['', 'Mean hinge loss, max(1 − y·score, 0) with labels −1/1 (Keras).', 'lower'],
    squared_hinge: ['', 'Mean squared hinge loss (Keras).', 'lower'],
    log_cosh_error: ['', 'Mean log(cosh(score − label)) (Keras).', 'lower'],
    poisson: ['', 'Mean Poisson loss, score − label·log(score) (Keras).', 'lower'],
    kl_divergence: ['', 'Mean Kullback–Leibler divergence of the score from the label (Keras).', 'lower'],
    cosine_similarity: ['', 'Mean cosine similarity of label and score (Keras).', 'higher'],
    flip_rate: ['', 'Share of examples whose prediction flips under the counterfactual.', 'lower']
  };
  var ORDER = ['false_positive_rate', 'fpr', 'false_negative_rate', 'fnr', 'accuracy', 'binary_accuracy', 'precision', 'recall', 'auc'];
  var FI_PREFIX = 'fairness_indicators_metrics/';
  var ERROR_KEY = '__ERROR__';

  var started = performance.now();
  var data = JSON.parse(document.getElementById('fairbeam-data').textContent);
  var root = document.getElementById('fb-explorer');
  var tip = document.getElementById('fb-tip');

  // ---- Numbers, as the Java side writes them (ReportFormat) ----
  function num(v) { return typeof v === 'string' ? Number(v) : v; }
  function fmt(v, digits) {
    digits = digits || 4;
    if (v === null || v === undefined) { return '—'; }
    if (Number.isNaN(v)) { return 'NaN'; }
    if (!Number.isFinite(v)) { return v > 0 ? '∞' : '−∞'; }
    if (Number.isInteger(v) && Math.abs(v) < 1e15) { return v.toLocaleString('en-US'); }
    var e = Math.floor(Math.log10(Math.abs(Number(v.toPrecision(digits)))));
    var s;
    if (e < -4 || e >= digits) {
      var parts = v.toExponential(digits - 1).split('e');
      var exp = Math.abs(Number(parts[1]));
      s = parts[0] + 'e' + (Number(parts[1]) < 0 ? '-' : '+') + (exp < 10 ? '0' : '') + exp;
    } else {
      s = v.toFixed(Math.max(0, digits - 1 - e));
    }
    return s.replace(/(\.\d*?)0+(e|$)/, '$1$2').replace(/\.(e|$)/, '$1');
  }
  function fmtValue(x) {
    if (!x) { return '—'; }
    if (x.error !== undefined) { return x.error; }
    return fmt(x.v) + (x.hasInterval ? ' [' + fmt(x.lo) + ', ' + fmt(x.hi) + ']' : '');
  }
  function pct(v) { return Number.isFinite(v) ? fmt(v * 100, 3) + '%' : fmt(v); }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) { e.setAttribute(k, attrs[k]); }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs || {}) { e.setAttribute(k, attrs[k]); }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  // ---- The data: series (result × model), slices, metrics ----
  var multiple = data.results.length > 1;
  var series = [];
  var slices = {};
  var sliceOrder = [];
  data.results.forEach(function (result, r) {
    (result.slicingMetrics || []).forEach(function (s) {
      var id = r + '|' + s.model;
      if (!series.some(function (x) { return x.id === id; })) {
        var name = s.model || (multiple ? '' : 'value');
        series.push({ id: id, label: multiple ? result.location + (name ? ' · ' + name : '') : name });
      }
      var slice = slices[s.slice];
      if (!slice) {
        slice = slices[s.slice] = { name: s.slice, label: s.label, feature: s.cross ? 'cross slices (baseline − comparison)' : s.feature, cross: s.cross, metrics: {} };
        sliceOrder.push(s.slice);
      }
      slice.metrics[id] = s.metrics;
      slice.decisions = slice.decisions || {};
      slice.decisions[id] = s.decisions || {};
    });
  });
  // Every series; `series` holds those the reader picked (models and, for a multi-class model,
  // its classes: classId:2, k:1), which every chart and table draws.
  var allSeries = series.slice();
  function value(slice, seriesId, key) {
    var m = slices[slice] && slices[slice].metrics[seriesId];
    var x = m && m[key];
    if (!x) { return null; }
    if (x.error !== undefined) { return { error: x.error }; }
    if (x.boundedValue) {
      return { v: num(x.boundedValue.value), lo: num(x.boundedValue.lowerBound), hi: num(x.boundedValue.upperBound), hasInterval: true };
    }
    return { v: num(x.doubleValue) };
  }
  // Fairbeam's decision interval (from the counts: what findings and gates decide on), or null.
  function decision(slice, seriesId, key) {
    var d = slices[slice] && slices[slice].decisions && slices[slice].decisions[seriesId];
    var x = d && d[key];
    if (!x) { return null; }
    return { v: num(x.value), lo: num(x.lowerBound), hi: num(x.upperBound), n: num(x.count), neg: x.negatives === undefined ? 0 : num(x.negatives), missing: x.missing,
      onlyCandidate: x.onlyCandidate === undefined ? undefined : num(x.onlyCandidate), onlyBaseline: num(x.onlyBaseline) };
  }
  // A count of examples: whole without weights, else to 4 digits.
  function examples(k) { return Math.abs(k - Math.round(k)) < 1e-6 * Math.max(1, k) ? fmt(Math.round(k)) : fmt(k); }
  function fmtDecision(d) {
    if (!d) { return '—'; }
    var behind = d.onlyCandidate !== undefined ? examples(d.onlyCandidate) + ' vs ' + examples(d.onlyBaseline) + ' of ' + examples(d.n) : d.neg ? examples(d.n) + ' pos., ' + examples(d.neg) + ' neg.' : Number.isFinite(d.v) ? examples(d.v * d.n) + ' of ' + examples(d.n) : '0 of 0';
    if (d.missing) { return 'none: ' + d.missing + ' (' + behind + ')'; }
    return '[' + fmt(d.lo) + ', ' + fmt(d.hi) + '] (' + behind + ')';
  }
  function suppressed(slice) {
    for (var id in slices[slice].metrics) {
      var e = slices[slice].metrics[id][ERROR_KEY];
      if (e) { return e.error !== undefined ? e.error : 'no metrics'; }
    }
    return null;
  }
  function count(slice) {
    for (var i = 0; i < series.length; i++) {
      var x = value(slice, series[i].id, 'example_count');
      if (x && x.v !== undefined) { return x.v; }
    }
    return NaN;
  }
  // base name -> {label, thresholds: [t], keys: {t or '': key}}
  var metrics = {};
  var present = {};
  Object.keys(slices).forEach(function (name) {
    for (var id in slices[name].metrics) {
      Object.keys(slices[name].metrics[id]).forEach(function (key) { present[key] = true; });
    }
  });
  Object.keys(slices).forEach(function (name) {
    for (var id in slices[name].metrics) {
      Object.keys(slices[name].metrics[id]).forEach(function (key) {
        // A model's difference sits beside its metric; one written only as a difference (a flip
        // rate, which compares the two models) is a metric of its own.
        var diffOnly = /_diff$/.test(key) && !present[key.slice(0, -5)];
        if (key === ERROR_KEY || (/_diff$/.test(key) && !diffOnly)) { return; }
        var m = key.match(/^(.*)@([-+0-9.eE]+)$/);
        var base = m ? m[1] : key;
        var t = m ? m[2] : '';
        var label = diffOnly ? base.slice(0, -5) + ' (candidate against baseline)' : base.indexOf(FI_PREFIX) === 0 ? base.substring(FI_PREFIX.length) : base;
        var entry = metrics[base] || (metrics[base] = { base: base, label: label, keys: {} });
        entry.keys[t] = key;
      });
    }
  });
  var metricNames = Object.keys(metrics).sort(function (a, b) {
    var ia = ORDER.indexOf(metrics[a].label), ib = ORDER.indexOf(metrics[b].label);
    ia = ia < 0 ? ORDER.length : ia; ib = ib < 0 ? ORDER.length : ib;
    return ia - ib || metrics[a].label.localeCompare(metrics[b].label);
  });
  // TFMA's short class names for the same rates.
  var ALIASES = { fpr: 'false_positive_rate', fnr: 'false_negative_rate', tpr: 'true_positive_rate',
    tnr: 'true_negative_rate', ppv: 'precision', fdr: 'false_discovery_rate', for: 'false_omission_rate' };
  function info(base) {
    var label = metrics[base].label;
    var short = label.replace(/^.*\//, '');
    short = ALIASES[short] || short;
    return METRICS[short] || METRICS[short.replace(/^weighted_/, '')] || ['', '', ''];
  }
  var thresholds = [];
  metricNames.forEach(function (b) {
    Object.keys(metrics[b].keys).forEach(function (t) { if (t && thresholds.indexOf(t) < 0) { thresholds.push(t); } });
  });
  thresholds.sort(function (a, b) { return Number(a) - Number(b); });
  var groups = [];
  sliceOrder.sort(function (a, b) {
    var sa = slices[a], sb = slices[b];
    return (sa.cross - sb.cross) || ((a !== 'Overall') - (b !== 'Overall')) || a.localeCompare(b);
  });
  sliceOrder.forEach(function (name) {
    var f = slices[name].feature || 'Overall';
    var g = groups.filter(function (x) { return x.feature === f; })[0];
    if (!g) { g = { feature: f, slices: [] }; groups.push(g); }
    g.slices.push(name);
  });

  // ---- State, kept in the URL hash so that a link opens the same view ----
  var state = {
    metrics: [metricNames.filter(function (b) { return metrics[b].label === 'false_positive_rate'; })[0] || metricNames[0]].filter(Boolean),
    thresholds: thresholds.length ? [thresholds.indexOf('0.5') >= 0 ? '0.5' : thresholds[Math.floor((thresholds.length - 1) / 2)]] : [],
    ref: slices.Overall ? 'Overall' : sliceOrder[0],
    slices: defaultSlices(),
    minN: 0,
    parity: num(data.parityRatio) || 0.8,
    sort: 'value:desc',
    series: allSeries.slice(0, 4).map(function (se) { return se.id; })
  };
  function applySeries() {
    series = allSeries.filter(function (se) { return state.series.indexOf(se.id) >= 0; });
  }
  function defaultSlices() {
    var plain = sliceOrder.filter(function (s) { return !slices[s].cross; });
    return plain.length <= 40 ? plain : plain.slice(0, 21);
  }
  function readHash() {
    var hash = location.hash.replace(/^#/, '');
    if (!hash) { return; }
    hash.split('&').forEach(function (part) {
      var kv = part.split('=');
      var list = (kv[1] || '').split(',').filter(Boolean).map(decodeURIComponent);
      switch (kv[0]) {
        case 'm': state.metrics = list.filter(function (b) { return metrics[b]; }); break;
        case 't': state.thresholds = list.filter(function (t) { return thresholds.indexOf(t) >= 0; }); break;
        case 'ref': if (slices[list[0]]) { state.ref = list[0]; } break;
        case 's': state.slices = list.filter(function (s) { return slices[s]; }); break;
        case 'n': state.minN = Number(list[0]) || 0; break;
        case 'p': if (Number(list[0]) > 0) { state.parity = Number(list[0]); } break;
        case 'sort': if (list[0]) { state.sort = list[0]; } break;
        case 'c': state.series = list.filter(function (id) { return allSeries.some(function (se) { return se.id === id; }); }); break;
      }
    });
  }
  function writeHash() {
    var enc = function (l) { return l.map(encodeURIComponent).join(','); };
    var hash = '#m=' + enc(state.metrics) + '&t=' + enc(state.thresholds) + '&ref=' + enc([state.ref]) +
      '&s=' + enc(state.slices) + '&n=' + state.minN + '&p=' + state.parity + '&sort=' + enc([state.sort]) +
      (allSeries.length > 1 ? '&c=' + enc(state.series) : '');
    if (location.hash !== hash) { history.replaceState(null, '', hash); }
  }

  // ---- Controls ----
  // A labelled checkbox for value: ticked or not, and what a change does.
  function checkbox(attrs, value, checked, text, onChange) {
    var label = el('label', attrs);
    var box = el('input', { type: 'checkbox', value: value });
    box.checked = checked;
    box.addEventListener('change', onChange);
    label.appendChild(box);
    label.appendChild(document.createTextNode(' ' + text));
    return label;
  }
  // Which of values are ticked in container, in the order of values.
  function ticked(container, values) {
    return values.filter(function (x) { return container.querySelector('input[value="' + CSS.escape(x) + '"]').checked; });
  }
  // A search box that hides the labels (matching selector) of container whose text lacks it.
  function searchBox(container, placeholder, selector, attrs) {
    var input = el('input', Object.assign({ type: 'search', placeholder: placeholder, 'aria-label': placeholder }, attrs || {}));
    input.addEventListener('input', function () {
      var q = input.value.toLowerCase();
      container.querySelectorAll(selector).forEach(function (l) {
        l.hidden = q && l.textContent.toLowerCase().indexOf(q) < 0;
      });
    });
    return input;
  }
  function buildControls() {
    var controls = el('div', { class: 'controls', role: 'group', 'aria-label': 'What the charts and tables show' });
    // Metrics: searchable, with definition and direction.
    var mf = el('fieldset', { id: 'fb-metrics' });
    mf.appendChild(el('legend', {}, 'Metrics'));
    mf.appendChild(searchBox(mf, 'Search metrics', 'label[data-metric]', { id: 'fb-metric-search' }));
    metricNames.forEach(function (b) {
      var i = info(b);
      var label = checkbox({ 'data-metric': b, title: i[1] }, b, state.metrics.indexOf(b) >= 0,
        metrics[b].label + (i[0] ? ' (' + i[0] + ')' : ''),
        function () { state.metrics = ticked(mf, metricNames); update(); });
      var desc = el('span', { class: 'desc' }, (i[1] ? i[1] + ' ' : '') + (i[2] ? (i[2] === 'higher' ? 'Higher is better.' : 'Lower is better.') : ''));
      label.appendChild(desc);
      mf.appendChild(label);
    });
    controls.appendChild(mf);

    var side = el('div');
    // Baseline slice.
    var refLabel = el('label', { class: 'title', for: 'fb-ref' }, 'Baseline slice');
    var ref = el('select', { id: 'fb-ref' });
    groups.forEach(function (g) {
      var og = el('optgroup', { label: g.feature });
      g.slices.forEach(function (s) {
        var o = el('option', { value: s }, slices[s].label);
        o.selected = s === state.ref;
        og.appendChild(o);
      });
      ref.appendChild(og);
    });
    ref.addEventListener('change', function () { state.ref = ref.value; update(); });
    side.appendChild(refLabel);
    side.appendChild(ref);
    // Thresholds.
    if (thresholds.length) {
      var tf = el('fieldset', { id: 'fb-thresholds' });
      tf.appendChild(el('legend', {}, 'Thresholds'));
      thresholds.forEach(function (t) {
        tf.appendChild(checkbox({}, t, state.thresholds.indexOf(t) >= 0, t,
          function () { state.thresholds = ticked(tf, thresholds); update(); }));
      });
      side.appendChild(tf);
    }
    // Models and classes: a multi-class model's binarized metrics are a series per class.
    if (allSeries.length > 1) {
      var cf = el('fieldset', { id: 'fb-series' });
      cf.appendChild(el('legend', {}, 'Models and classes'));
      var ids = allSeries.map(function (se) { return se.id; });
      allSeries.forEach(function (se) {
        // A multi-class model's own series (its counts, matrix and accuracy) beside its classes.
        var whole = se.label === 'value' && allSeries.some(function (x) { return /(classId|k|topK):|macro/.test(x.label); });
        cf.appendChild(checkbox({}, se.id, state.series.indexOf(se.id) >= 0, whole ? 'all classes' : se.label || 'value',
          function () { state.series = ticked(cf, ids); update(); }));
      });
      side.appendChild(cf);
    }
    var nl = el('label', { class: 'title', for: 'fb-min-n' }, 'Hide slices with fewer examples than');
    var n = el('input', { type: 'number', id: 'fb-min-n', min: '0', value: String(state.minN) });
    n.addEventListener('change', function () { state.minN = Number(n.value) || 0; update(); });
    side.appendChild(nl);
    side.appendChild(n);
    var pl = el('label', { class: 'title', for: 'fb-parity' }, 'Parity band: ratio at least');
    var p = el('input', { type: 'number', id: 'fb-parity', min: '0.01', max: '1', step: '0.01', value: String(state.parity) });
    p.addEventListener('change', function () { if (Number(p.value) > 0 && Number(p.value) <= 1) { state.parity = Number(p.value); update(); } });
    side.appendChild(pl);
    side.appendChild(p);
    controls.appendChild(side);

    // Slices, grouped by feature, with select-all per feature and a search.
    var sf = el('fieldset', { id: 'fb-slices' });
    sf.appendChild(el('legend', {}, 'Slices'));
    sf.appendChild(searchBox(sf, 'Search slices', 'label[data-slice]'));
    groups.forEach(function (g) {
      var box = el('div', { class: 'group' });
      var all = el('label');
      var allBox = el('input', { type: 'checkbox', 'data-feature': g.feature });
      all.appendChild(allBox);
      all.appendChild(document.createTextNode(' ' + g.feature + ' (' + g.slices.length + ')'));
      box.appendChild(all);
      var items = el('div', { class: 'items' });
      g.slices.forEach(function (s) {
        items.appendChild(checkbox({ 'data-slice': s }, s, state.slices.indexOf(s) >= 0,
          slices[s].label + (suppressed(s) ? ' (suppressed)' : ''), function () { readSlices(); update(); }));
      });
      allBox.addEventListener('change', function () {
        items.querySelectorAll('input').forEach(function (b) { b.checked = allBox.checked; });
        readSlices();
        update();
      });
      box.appendChild(items);
      sf.appendChild(box);
    });
    function readSlices() { state.slices = ticked(sf, sliceOrder); }
    controls.appendChild(sf);
    return controls;
  }
  function syncGroupBoxes() {
    root.querySelectorAll('#fb-slices .group').forEach(function (g) {
      var boxes = g.querySelectorAll('.items input');
      var on = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
      var all = g.querySelector('input[data-feature]');
      all.checked = on === boxes.length;
      all.indeterminate = on > 0 && on < boxes.length;
    });
  }

  // ---- Panels: one chart and one table per metric and threshold ----
  function shownSlices() {
    var list = state.slices.filter(function (s) {
      var c = count(s);
      return s === state.ref || !(c < state.minN);
    });
    if (list.indexOf(state.ref) < 0) { list.unshift(state.ref); }
    return list;
  }
  function panelKeys() {
    var keys = [];
    state.metrics.forEach(function (b) {
      var ts = Object.keys(metrics[b].keys);
      if (ts.length === 1 && ts[0] === '') {
        keys.push({ base: b, t: '', key: metrics[b].keys[''] });
      } else {
        state.thresholds.forEach(function (t) {
          if (metrics[b].keys[t]) { keys.push({ base: b, t: t, key: metrics[b].keys[t] }); }
        });
      }
    });
    return keys;
  }
  function rows(key, list) {
    return list.map(function (s) {
      var row = { slice: s, label: slices[s].label, n: count(s), suppressed: suppressed(s), cells: [] };
      series.forEach(function (se) {
        var x = value(s, se.id, key);
        var b = value(state.ref, se.id, key);
        var c = { x: x, d: decision(s, se.id, key), modelDiffDecision: decision(s, se.id, key + '_diff'), diff: NaN, rel: NaN, ratio: NaN, modelDiff: value(s, se.id, key + '_diff') };
        if (x && x.v !== undefined && b && b.v !== undefined) {
          c.diff = x.v - b.v;
          c.ratio = x.v / b.v;
          c.rel = c.ratio - 1;
        }
        row.cells.push(c);
      });
      return row;
    });
  }
  function sortRows(list) {
    var parts = state.sort.split(':');
    var col = parts[0], dir = parts[1] === 'asc' ? 1 : -1;
    var keyOf = function (r) {
      if (col === 'slice') { return r.label; }
      if (col === 'n') { return r.n; }
      var m = col.match(/^([a-z]+)(\d*)$/);
      var c = r.cells[Number(m[2] || 0)] || r.cells[0];
      if (m[1] === 'value') { return c.x && c.x.v !== undefined ? c.x.v : NaN; }
      if (m[1] === 'decision') { return c.d && !c.d.missing ? c.d.lo : NaN; }
      if (m[1] === 'mdiff') { return c.modelDiff && c.modelDiff.v !== undefined ? c.modelDiff.v : NaN; }
      return c[m[1]];
    };
    return list.slice().sort(function (a, b) {
      if (a.slice === state.ref) { return -1; }
      if (b.slice === state.ref) { return 1; }
      var ka = keyOf(a), kb = keyOf(b);
      if (typeof ka === 'string') { return dir * ka.localeCompare(kb); }
      var na = Number.isNaN(ka), nb = Number.isNaN(kb);
      if (na || nb) { return na - nb || a.label.localeCompare(b.label); }
      return dir * (ka - kb) || a.label.localeCompare(b.label);
    });
  }
  function metricTitle(p) { return metrics[p.base].label + (p.t ? ' @ ' + p.t : ''); }
  function panelId(p) { return 'panel-' + p.key.replace(/[^A-Za-z0-9_.-]/g, '_'); }

  function drawPanels() {
    var holder = document.getElementById('fb-panels');
    holder.textContent = '';
    var list = shownSlices();
    var keys = panelKeys();
    if (!keys.length) {
      holder.appendChild(el('p', {}, 'Choose a metric (and a threshold) to see its chart and table.'));
    }
    keys.forEach(function (p) {
      var section = el('section', { class: 'panel', id: panelId(p), 'data-metric': p.key });
      var i = info(p.base);
      section.appendChild(el('h4', {}, metricTitle(p)));
      section.appendChild(el('p', { class: 'direction' }, (i[1] || '') + ' ' + (i[2] === 'higher' ? 'Higher is better.' : i[2] === 'lower' ? 'Lower is better.' : 'Neither higher nor lower is better in itself.')));
      var r = sortRows(rows(p.key, list));
      section.appendChild(barChart(p, r));
      section.appendChild(table(p, r));
      var csv = el('button', { type: 'button', class: 'csv' }, 'Download this table as CSV');
      csv.addEventListener('click', function () { download(panelId(p) + '.csv', toCsv(p, r)); });
      section.appendChild(csv);
      holder.appendChild(section);
    });
  }

  function scale(lo, hi, from, to) {
    if (!(hi > lo)) { hi = lo + 1; }
    var span = hi - lo;
    var step = Math.pow(10, Math.floor(Math.log10(span / 5)));
    [1, 2, 5, 10].some(function (m) { if (span / (step * m) <= 6) { step *= m; return true; } return false; });
    var a = Math.floor(lo / step) * step, b = Math.ceil(hi / step) * step;
    var f = function (v) { return from + (v - a) / (b - a) * (to - from); };
    f.ticks = [];
    for (var t = a; t <= b + step / 2; t += step) { f.ticks.push(Number(t.toPrecision(12))); }
    return f;
  }
  function mark(shape, x, y, colour, attrs) {
    var m;
    if (shape === 'circle') { m = svg('circle', { cx: x, cy: y, r: 4.5 }); }
    else if (shape === 'square') { m = svg('rect', { x: x - 4, y: y - 4, width: 8, height: 8 }); }
    else if (shape === 'triangle') { m = svg('path', { d: 'M' + x + ' ' + (y - 5) + 'L' + (x + 5) + ' ' + (y + 4) + 'L' + (x - 5) + ' ' + (y + 4) + 'Z' }); }
    else { m = svg('path', { d: 'M' + x + ' ' + (y - 5.5) + 'L' + (x + 5.5) + ' ' + y + 'L' + x + ' ' + (y + 5.5) + 'L' + (x - 5.5) + ' ' + y + 'Z' }); }
    m.setAttribute('fill', colour);
    m.setAttribute('class', 'mark');
    m.setAttribute('tabindex', '0');
    m.setAttribute('role', 'img');
    for (var k in attrs) { m.setAttribute(k, attrs[k]); }
    return m;
  }
  function describe(p, row, se, c) {
    var x = c.x;
    var text = row.label + ', ' + se.label + (se.label ? ', ' : '') + metricTitle(p) + ' = ' + fmtValue(x);
    if (x && x.hasInterval) { text += ' (' + Math.round(level() * 100) + '% interval)'; }
    if (c.d && !c.d.missing) { text += ', decision interval ' + fmtDecision(c.d); }
    if (Number.isFinite(row.n)) { text += ', n = ' + fmt(row.n); }
    if (row.slice !== state.ref && Number.isFinite(c.ratio)) { text += ', ' + fmt(c.ratio, 3) + '× ' + slices[state.ref].label; }
    return text;
  }
  function level() {
    var l = 0;
    data.results.forEach(function (r) { if (r.run && r.run.confidenceIntervals && num(r.run.confidenceIntervals.level)) { l = num(r.run.confidenceIntervals.level); } });
    return l || 0.95;
  }
  function barChart(p, list) {
    var labelW = Math.min(340, 20 + 7 * Math.max.apply(null, list.map(function (r) { return r.label.length + (r.slice === state.ref ? 11 : 0); }).concat([8])));
    var rowH = 10 + 14 * series.length, width = 820, top = 24, bottom = 28;
    var lo = 0, hi = 0;
    list.forEach(function (r) {
      r.cells.forEach(function (c) {
        if (c.x && c.x.v !== undefined) {
          [c.x.v, c.x.lo, c.x.hi].concat(c.d && !c.d.missing ? [c.d.lo, c.d.hi] : []).forEach(function (v) { if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); } });
        }
      });
    });
    var x = scale(lo, hi, labelW, width - 20);
    var height = top + rowH * list.length + bottom;
    var chart = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, width: width, height: height, role: 'group', 'aria-label': metricTitle(p) + ' per slice' });
    chart.appendChild(svg('title', {}, metricTitle(p) + ' per slice, with intervals; baseline ' + slices[state.ref].label));
    var axis = svg('g', { class: 'axis', 'aria-hidden': 'true' });
    x.ticks.forEach(function (t) {
      axis.appendChild(svg('line', { class: 'grid', x1: x(t), x2: x(t), y1: top - 4, y2: height - bottom }));
      axis.appendChild(svg('text', { x: x(t), y: height - bottom + 16, 'text-anchor': 'middle' }, fmt(t)));
    });
    chart.appendChild(axis);
    list.forEach(function (r, i) {
      var y0 = top + i * rowH;
      if (r.slice === state.ref) { chart.appendChild(svg('rect', { class: 'rowband', x: 0, y: y0, width: width, height: rowH })); }
      chart.appendChild(svg('text', { x: labelW - 8, y: y0 + rowH / 2 + 4, 'text-anchor': 'end', 'font-weight': r.slice === state.ref ? '700' : '400' }, r.label + (r.slice === state.ref ? ' (baseline)' : '')));
      if (r.suppressed) {
        chart.appendChild(svg('text', { x: labelW + 4, y: y0 + rowH / 2 + 4, class: 'muted' }, 'suppressed: ' + r.suppressed));
        return;
      }
      r.cells.forEach(function (c, k) {
        var se = series[k];
        var y = y0 + 12 + 14 * k;
        var colour = COLOURS[k % COLOURS.length];
        if (!c.x) { return; }
        if (c.x.v === undefined || !Number.isFinite(c.x.v)) {
          chart.appendChild(svg('text', { x: labelW + 4, y: y + 4, class: 'muted' }, (series.length > 1 ? se.label + ': ' : '') + 'no value: ' + (c.x.error || fmt(c.x.v))));
          return;
        }
        if (c.d && !c.d.missing && Number.isFinite(c.d.lo) && Number.isFinite(c.d.hi)) {
          // The decision interval as a pale band behind the value and TFMA's whisker.
          chart.appendChild(svg('rect', { class: 'decision', x: x(c.d.lo), y: y - 5, width: Math.max(1, x(c.d.hi) - x(c.d.lo)), height: 10, fill: colour, 'fill-opacity': 0.18, 'aria-hidden': 'true', 'data-lower': String(c.d.lo), 'data-upper': String(c.d.hi) }));
        }
        if (c.x.hasInterval && Number.isFinite(c.x.lo) && Number.isFinite(c.x.hi)) {
          var w = svg('g', { stroke: colour, 'stroke-width': 1.5, 'aria-hidden': 'true', class: 'whisker' });
          w.appendChild(svg('line', { x1: x(c.x.lo), x2: x(c.x.hi), y1: y, y2: y }));
          w.appendChild(svg('line', { x1: x(c.x.lo), x2: x(c.x.lo), y1: y - 4, y2: y + 4 }));
          w.appendChild(svg('line', { x1: x(c.x.hi), x2: x(c.x.hi), y1: y - 4, y2: y + 4 }));
          chart.appendChild(w);
        }
        var text = describe(p, r, se, c);
        var m = mark(SHAPES[k % SHAPES.length], x(c.x.v), y, colour, {
          'data-slice': r.slice, 'data-series': se.id, 'data-value': String(c.x.v), 'aria-label': text
        });
        m.appendChild(svg('title', {}, text));
        chart.appendChild(m);
      });
    });
    // The baseline's value, per series, as a dashed line across the rows.
    list.filter(function (r) { return r.slice === state.ref; }).forEach(function (r) {
      r.cells.forEach(function (c, k) {
        if (c.x && Number.isFinite(c.x.v)) {
          chart.appendChild(svg('line', { class: 'ref', x1: x(c.x.v), x2: x(c.x.v), y1: top - 4, y2: height - bottom, stroke: COLOURS[k % COLOURS.length], 'aria-hidden': 'true' }));
        }
      });
    });
    var figure = el('figure');
    figure.appendChild(chart);
    if (series.length > 1) { figure.appendChild(legend(series.map(function (s, k) { return [s.label, COLOURS[k % COLOURS.length], SHAPES[k % SHAPES.length]]; }))); }
    return figure;
  }
  function legend(entries) {
    var l = el('div', { class: 'legend' });
    entries.forEach(function (e) {
      var item = el('span');
      var key = el('span', { class: 'key' });
      key.style.background = e[1];
      item.appendChild(key);
      item.appendChild(document.createTextNode((e[2] ? e[2] + ': ' : '') + e[0]));
      l.appendChild(item);
    });
    return l;
  }
  function columns() {
    var cols = [{ id: 'slice', label: 'Slice' }];
    series.forEach(function (se, k) {
      var prefix = series.length > 1 ? se.label + ': ' : '';
      cols.push({ id: 'value' + k, label: prefix + 'value [interval]' });
      if (hasDecisions) { cols.push({ id: 'decision' + k, label: prefix + 'decision interval (counts)' }); }
      cols.push({ id: 'diff' + k, label: prefix + 'difference' });
      cols.push({ id: 'rel' + k, label: prefix + 'relative' });
      cols.push({ id: 'ratio' + k, label: prefix + 'ratio' });
    });
    return cols;
  }
  var hasDecisions = sliceOrder.some(function (s) {
    var d = slices[s].decisions;
    return d && Object.keys(d).some(function (id) { return Object.keys(d[id]).length > 0; });
  });
  function hasModelDiff(r) { return r.some(function (row) { return row.cells.some(function (c) { return c.modelDiff; }); }); }
  function table(p, r) {
    var t = el('table', { 'data-metric': p.key });
    t.appendChild(el('caption', {}, metricTitle(p) + ' against ' + slices[state.ref].label + ' (difference = slice − baseline, relative = slice / baseline − 1, ratio = slice / baseline)'));
    var cols = columns();
    var diffCols = [];
    if (hasModelDiff(r)) {
      series.forEach(function (se, k) {
        if (r.some(function (row) { return row.cells[k].modelDiff; })) { diffCols.push(k); cols.push({ id: 'mdiff' + k, label: se.label + ' − baseline model' }); }
      });
    }
    cols.push({ id: 'n', label: 'examples' });
    var head = el('tr');
    var sortParts = state.sort.split(':');
    cols.forEach(function (c) {
      var th = el('th', { scope: 'col', 'data-col': c.id });
      var current = sortParts[0] === c.id || (sortParts[0] === 'value' && c.id === 'value0');
      th.setAttribute('aria-sort', current ? (sortParts[1] === 'asc' ? 'ascending' : 'descending') : 'none');
      var b = el('button', { type: 'button' }, c.label + (current ? (sortParts[1] === 'asc' ? ' ▲' : ' ▼') : ''));
      b.addEventListener('click', function () {
        state.sort = c.id + ':' + (current && sortParts[1] === 'desc' ? 'asc' : 'desc');
        update();
        var again = document.querySelector('#' + panelId(p) + ' th[data-col="' + c.id + '"] button');
        if (again) { again.focus(); }
      });
      th.appendChild(b);
      head.appendChild(th);
    });
    var thead = el('thead');
    thead.appendChild(head);
    t.appendChild(thead);
    var body = el('tbody');
    r.forEach(function (row) {
      var tr = el('tr', { 'data-slice': row.slice, class: row.slice === state.ref ? 'baseline' : '' });
      tr.appendChild(el('th', { scope: 'row' }, row.label + (row.slice === state.ref ? ' (baseline)' : '')));
      if (row.suppressed) {
        tr.appendChild(el('td', { class: 'text', colspan: String(cols.length - 2) }, 'Suppressed: ' + row.suppressed));
      } else {
        row.cells.forEach(function (c) {
          var x = c.x;
          var td = el('td', { class: x && x.hasInterval ? 'interval' : '' }, fmtValue(x));
          if (x && x.v !== undefined) { td.setAttribute('data-value', String(x.v)); }
          if (x && x.hasInterval) { td.setAttribute('data-lower', String(x.lo)); td.setAttribute('data-upper', String(x.hi)); }
          tr.appendChild(td);
          if (hasDecisions) {
            var dd = el('td', { class: 'decision' }, fmtDecision(c.d));
            if (c.d && !c.d.missing) { dd.setAttribute('data-lower', String(c.d.lo)); dd.setAttribute('data-upper', String(c.d.hi)); }
            tr.appendChild(dd);
          }
          var same = row.slice === state.ref;
          tr.appendChild(el('td', {}, same ? '' : fmt(c.diff)));
          tr.appendChild(el('td', {}, same ? '' : pct(c.rel)));
          var rt = el('td', {}, same ? '' : fmt(c.ratio, 3));
          if (!same && Number.isFinite(c.ratio) && (c.ratio < state.parity || c.ratio > 1 / state.parity)) {
            rt.textContent += ' (outside band)';
            rt.className = 'fails';
          }
          tr.appendChild(rt);
        });
        diffCols.forEach(function (k) {
          var d = row.cells[k].modelDiff;
          var pd = row.cells[k].modelDiffDecision;
          // With a change threshold's bound, the change's paired interval from the counts too.
          var td = el('td', {}, fmtValue(d) + (pd ? '; paired ' + fmtDecision(pd) : ''));
          if (d && d.v !== undefined) { td.setAttribute('data-value', String(d.v)); }
          if (pd && !pd.missing) { td.setAttribute('data-decision-lower', String(pd.lo)); td.setAttribute('data-decision-upper', String(pd.hi)); }
          tr.appendChild(td);
        });
      }
      tr.appendChild(el('td', {}, Number.isFinite(row.n) ? fmt(row.n) : ''));
      body.appendChild(tr);
    });
    t.appendChild(body);
    return t;
  }
  function csvCell(v) {
    var s = v === undefined || v === null ? '' : String(v);
    return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function toCsv(p, r) {
    var head = ['slice', 'metric', 'threshold'];
    series.forEach(function (se) {
      var pre = series.length > 1 ? se.label + ' ' : '';
      head.push(pre + 'value', pre + 'lower', pre + 'upper', pre + 'decision lower', pre + 'decision upper', pre + 'decision count', pre + 'difference', pre + 'relative', pre + 'ratio');
    });
    head.push('baseline', 'examples');
    var lines = [head.map(csvCell).join(',')];
    r.forEach(function (row) {
      var line = [row.slice, metrics[p.base].label, p.t];
      row.cells.forEach(function (c) {
        var x = c.x || {};
        var d = c.d && !c.d.missing ? c.d : {};
        line.push(x.v, x.hasInterval ? x.lo : '', x.hasInterval ? x.hi : '', d.lo, d.hi, c.d ? c.d.n : '',
          row.slice === state.ref ? '' : c.diff, row.slice === state.ref ? '' : c.rel, row.slice === state.ref ? '' : c.ratio);
      });
      line.push(state.ref, Number.isFinite(row.n) ? row.n : '');
      lines.push(line.map(csvCell).join(','));
    });
    return lines.join('\n') + '\n';
  }
  function download(name, text) {
    var a = el('a', { download: name });
    a.href = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
  }

  // ---- Threshold explorer: each metric against threshold, one line per slice ----
  function lineChart(title, xLabel, yLabel, lines, opts) {
    opts = opts || {};
    var width = opts.width || 420, height = opts.height || 300, left = 48, right = 12, top = 12, bottom = 40;
    var xs = [], ys = [];
    lines.forEach(function (l) { l.points.forEach(function (pt) { if (Number.isFinite(pt[0]) && Number.isFinite(pt[1])) { xs.push(pt[0]); ys.push(pt[1]); } }); });
    var x = scale(opts.x0 !== undefined ? opts.x0 : Math.min.apply(null, xs.concat([0])), opts.x1 !== undefined ? opts.x1 : Math.max.apply(null, xs.concat([1])), left, width - right);
    var y = scale(opts.y0 !== undefined ? opts.y0 : Math.min.apply(null, ys.concat([0])), opts.y1 !== undefined ? opts.y1 : Math.max.apply(null, ys.concat([1])), height - bottom, top);
    var chart = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, width: width, height: height, role: 'img', 'aria-label': title });
    chart.appendChild(svg('title', {}, title));
    var axis = svg('g', { class: 'axis', 'aria-hidden': 'true' });
    x.ticks.forEach(function (t) {
      axis.appendChild(svg('line', { class: 'grid', x1: x(t), x2: x(t), y1: top, y2: height - bottom }));
      axis.appendChild(svg('text', { x: x(t), y: height - bottom + 14, 'text-anchor': 'middle' }, fmt(t)));
    });
    y.ticks.forEach(function (t) {
      axis.appendChild(svg('line', { class: 'grid', x1: left, x2: width - right, y1: y(t), y2: y(t) }));
      axis.appendChild(svg('text', { x: left - 4, y: y(t) + 4, 'text-anchor': 'end' }, fmt(t)));
    });
    axis.appendChild(svg('text', { x: (left + width - right) / 2, y: height - 6, 'text-anchor': 'middle' }, xLabel));
    axis.appendChild(svg('text', { x: 12, y: (top + height - bottom) / 2, 'text-anchor': 'middle', transform: 'rotate(-90 12 ' + (top + height - bottom) / 2 + ')' }, yLabel));
    chart.appendChild(axis);
    if (opts.diagonal) {
      chart.appendChild(svg('line', { class: 'ref', x1: x(0), y1: y(opts.diagonal === 'down' ? 1 : 0), x2: x(1), y2: y(opts.diagonal === 'down' ? 0 : 1), stroke: 'currentColor', 'aria-hidden': 'true' }));
    }
    lines.forEach(function (l) {
      var d = '';
      l.points.forEach(function (pt) {
        if (Number.isFinite(pt[0]) && Number.isFinite(pt[1])) { d += (d ? 'L' : 'M') + x(pt[0]).toFixed(1) + ' ' + y(pt[1]).toFixed(1); }
      });
      if (d) { chart.appendChild(svg('path', { d: d, fill: 'none', stroke: l.colour, 'stroke-width': 2, 'stroke-dasharray': l.dash, 'data-slice': l.slice, 'data-series': l.series, class: 'curve' })); }
      if (l.dots) {
        l.points.forEach(function (pt) {
          if (!Number.isFinite(pt[0]) || !Number.isFinite(pt[1])) { return; }
          var label = l.label + ': ' + xLabel + ' ' + fmt(pt[0]) + ', ' + yLabel + ' ' + fmt(pt[1]) + (pt[2] ? ' (' + pt[2] + ')' : '');
          var m = mark('circle', x(pt[0]), y(pt[1]), l.colour, { 'data-slice': l.slice, 'data-series': l.series, 'data-x': String(pt[0]), 'data-y': String(pt[1]), 'aria-label': label });
          m.setAttribute('r', '3.5');
          m.appendChild(svg('title', {}, label));
          chart.appendChild(m);
        });
      }
    });
    var figure = el('figure');
    figure.appendChild(chart);
    return figure;
  }
  function lineStyle(i, k) { return { colour: COLOURS[i % COLOURS.length], dash: DASHES[(Math.floor(i / COLOURS.length) + k) % DASHES.length] }; }
  function sliceLegend(list) {
    var entries = [];
    list.forEach(function (s, i) {
      series.forEach(function (se, k) {
        var st = lineStyle(i, k);
        entries.push([slices[s].label + (series.length > 1 ? ' · ' + se.label : ''), st.colour, st.dash ? 'dashed' : '']);
      });
    });
    return legend(entries);
  }
  function drawThresholds() {
    var holder = document.getElementById('fb-thresholds-panel');
    if (!holder) { return; }
    holder.textContent = '';
    var list = shownSlices();
    var any = false;
    var wrap = el('div', { class: 'small-multiples' });
    state.metrics.forEach(function (b) {
      var ts = Object.keys(metrics[b].keys).filter(Boolean).sort(function (a, c) { return Number(a) - Number(c); });
      if (ts.length < 2) { return; }
      any = true;
      var lines = [];
      list.forEach(function (s, i) {
        series.forEach(function (se, k) {
          var st = lineStyle(i, k);
          lines.push({ slice: s, series: se.id, label: slices[s].label, colour: st.colour, dash: st.dash, dots: true,
            points: ts.map(function (t) { var x = value(s, se.id, metrics[b].keys[t]); return [Number(t), x && x.v !== undefined ? x.v : NaN]; }) });
        });
      });
      wrap.appendChild(lineChart(metrics[b].label + ' against threshold', 'threshold', metrics[b].label, lines, { x0: 0, x1: 1 }));
    });
    if (any) {
      holder.appendChild(wrap);
      holder.appendChild(sliceLegend(list));
    } else {
      holder.appendChild(el('p', {}, 'Choose a metric computed at two or more thresholds.'));
    }
  }

  // ---- ROC, precision-recall and calibration per slice ----
  function drawCurves() {
    var holder = document.getElementById('fb-curves-panel');
    if (!holder) { return; }
    holder.textContent = '';
    var list = shownSlices();
    var kinds = [['roc', 'ROC', 'false positive rate', 'true positive rate', 'up'], ['precisionRecall', 'Precision-recall', 'recall', 'precision', ''], ['calibration', 'Calibration', 'mean score', 'mean label', 'up']];
    var wrap = el('div', { class: 'small-multiples' });
    kinds.forEach(function (kind) {
      var lines = [];
      list.forEach(function (s, i) {
        series.forEach(function (se, k) {
          var r = Number(se.id.split('|')[0]);
          var model = se.id.substring(se.id.indexOf('|') + 1);
          var plot = (data.results[r].plots || []).filter(function (p) { return p.slice === s && p.model === model; })[0];
          if (!plot || !(plot[kind[0]] || []).length) { return; }
          var st = lineStyle(i, k);
          var pts = kind[0] === 'calibration'
            ? plot.calibration.map(function (b) { return [num(b.meanPrediction), num(b.meanLabel), 'weight ' + fmt(num(b.weight))]; })
            : plot[kind[0]].map(function (pt) { return [num(pt.x), num(pt.y), 'threshold ' + fmt(num(pt.threshold))]; });
          lines.push({ slice: s, series: se.id, label: slices[s].label, colour: st.colour, dash: st.dash, dots: kind[0] === 'calibration', points: pts });
        });
      });
      if (lines.length) {
        wrap.appendChild(lineChart(kind[1] + ' curves of the selected slices', kind[2], kind[3], lines, { x0: 0, x1: 1, y0: 0, y1: 1, width: 340, height: 320, diagonal: kind[4] }));
      }
    });
    if (wrap.childNodes.length) {
      holder.appendChild(wrap);
      holder.appendChild(sliceLegend(list));
    }
    var matrices = drawClassMatrices(holder, list);
    if (!wrap.childNodes.length && !matrices) {
      holder.appendChild(el('p', {}, 'The result has no ROC or calibration plots for these slices (add ConfusionMatrixPlot and CalibrationPlot to the metrics).'));
    }
  }

  // A multi-class model's confusion matrix per selected slice: rows the actual class, columns the
  // top-scoring class, each cell shaded by its share of the row (how the class's examples spread).
  function drawClassMatrices(holder, list) {
    var tables = el('div', { class: 'small-multiples' });
    list.forEach(function (s) {
      series.forEach(function (se) {
        var r = Number(se.id.split('|')[0]);
        var model = se.id.substring(se.id.indexOf('|') + 1);
        var plot = (data.results[r].plots || []).filter(function (p) { return p.slice === s && p.model === model; })[0];
        var m = plot && plot.classMatrix;
        if (!m || !(m.classes || []).length) { return; }
        var classes = m.classes.map(Number);
        var n = classes.length;
        var labels = m.classLabels || [];
        var name = function (c, i) { return labels[i] || (c < 0 ? 'none' : String(c)); };
        var t = el('table', { class: 'class-matrix' });
        t.appendChild(el('caption', {}, slices[s].label + (se.label && se.label !== 'value' ? ' · ' + se.label : '') + ': actual class (rows) by top-scoring class (columns), top score above ' + fmt(num(m.threshold))));
        var head = el('tr');
        head.appendChild(el('th', { scope: 'col' }, 'actual \\ predicted'));
        classes.forEach(function (c, i) { head.appendChild(el('th', { scope: 'col' }, name(c, i))); });
        t.appendChild(el('thead')).appendChild(head);
        var body = el('tbody');
        classes.forEach(function (c, i) {
          var row = el('tr');
          row.appendChild(el('th', { scope: 'row' }, name(c, i)));
          var total = 0;
          for (var j = 0; j < n; j++) { total += num(m.weights[i * n + j]); }
          for (var k = 0; k < n; k++) {
            var w = num(m.weights[i * n + k]);
            var share = total > 0 ? w / total : 0;
            var td = el('td', { title: examples(w) + ' of ' + examples(total) + ' (' + fmt(100 * share, 3) + '% of the row)' }, w ? examples(w) : '');
            td.style.background = 'rgba(0, 114, 178, ' + (0.85 * share).toFixed(3) + ')';
            if (share > 0.55) { td.style.color = '#fff'; }
            row.appendChild(td);
          }
          body.appendChild(row);
        });
        t.appendChild(body);
        tables.appendChild(t);
      });
    });
    if (tables.childNodes.length) {
      holder.appendChild(el('h3', {}, 'Multi-class confusion matrices'));
      holder.appendChild(tables);
    }
    return tables.childNodes.length;
  }

  // ---- Findings: the parity band re-judged when it changes ----
  function judgeParity() {
    document.querySelectorAll('[data-parity-cell]').forEach(function (td) {
      var ratio = Number(td.getAttribute('data-ratio'));
      var lower = Number(td.getAttribute('data-ratio-lower'));
      var upper = Number(td.getAttribute('data-ratio-upper'));
      var interval = td.getAttribute('data-has-interval') === 'true';
      var verdict;
      if (Number.isNaN(ratio)) { verdict = 'not applicable'; }
      else if (!interval) { verdict = ratio >= state.parity ? 'passes' : 'fails'; }
      else if (lower >= state.parity) { verdict = 'passes'; }
      else if (upper < state.parity) { verdict = 'fails'; }
      else { verdict = 'inconclusive'; }
      td.textContent = verdict;
      td.className = verdict.replace(' ', '-');
    });
    document.querySelectorAll('.parity-band').forEach(function (s) { s.textContent = fmt(state.parity, 3); });
  }

  function tooltip(e) {
    var t = e.target;
    if (!t.classList || !t.classList.contains('mark')) { tip.hidden = true; return; }
    tip.textContent = t.getAttribute('aria-label');
    tip.hidden = false;
    var box = t.getBoundingClientRect();
    tip.style.left = Math.min(window.innerWidth - 300, box.right + 8) + 'px';
    tip.style.top = (box.top - 4) + 'px';
  }

  function update() {
    applySeries();
    syncGroupBoxes();
    drawPanels();
    drawThresholds();
    drawCurves();
    judgeParity();
    try { writeHash(); } catch (e) { /* a page in a sandboxed frame may not change its URL */ }
  }

  readHash();
  applySeries();
  if (root) {
    root.querySelector('.nojs').remove();
    root.insertBefore(buildControls(), root.firstChild);
    document.addEventListener('mouseover', tooltip);
    document.addEventListener('focusin', tooltip);
    document.addEventListener('mouseout', function () { tip.hidden = true; });
    // A link to a view (a finding's, or one pasted in): the controls and charts follow it.
    window.addEventListener('hashchange', function () {
      readHash();
      root.replaceChild(buildControls(), root.querySelector('.controls'));
      update();
      var panel = document.querySelector('#fb-panels section.panel');
      if (panel) { panel.scrollIntoView(); }
    });
    update();
  }
  // Adds a slice the page details to the explorer's view and goes there.
  function showInExplorer(name) {
    if (state.slices.indexOf(name) < 0) { state.slices.push(name); }
    root.replaceChild(buildControls(), root.querySelector('.controls'));
    update();
    root.scrollIntoView();
  }

  // ---- The table of all slices: every slice's headline values, searched, sorted and paged ----
  var PAGE_ROWS = 50;
  function sliceIndexTable(section) {
    var r = Number(section.getAttribute('data-result'));
    var index = JSON.parse(document.getElementById(section.getAttribute('data-index')).textContent);
    // The labels as SliceKey.label writes them: "sex=F × zip=94110", or "Overall".
    var labels = [];
    (index.groups || []).forEach(function (g) {
      var features = g.features || [], v = g.values || [], k = features.length;
      for (var j = 0; j < (g.slices || 0); j++) {
        labels.push(k ? features.map(function (f, i) { return f + '=' + v[j * k + i]; }).join(' × ') : 'Overall');
      }
    });
    var columns = index.columns || [];
    var values = index.values || [];
    var width = columns.length;
    var scale = columns.map(function (c) { return Math.pow(10, c.decimals || 0); });
    var detailed = {};
    (data.results[r].slicingMetrics || []).forEach(function (s) { if (!s.cross) { detailed[s.label] = s.slice; } });
    function cell(row, c) {
      var v = values[row * width + c];
      return v === -2147483648 ? NaN : v / scale[c];
    }
    var view = { query: '', sort: -1, descending: false, page: 0, rows: null }; // sort: a column, -2 the name, -1 none
    function title(c) {
      var key = columns[c].metric, m = key.match(/^(.*)@([-+0-9.eE]+)$/);
      var base = (m ? m[1] : key).replace(FI_PREFIX, '');
      var short = METRICS[base] && METRICS[base][0] ? METRICS[base][0].split(',')[0] : base;
      var models = columns.some(function (x) { return x.model !== columns[0].model; });
      return short + (m ? ' @ ' + m[2] : '') + (models && columns[c].model ? ' · ' + columns[c].model : '');
    }
    function select() {
      var q = view.query.toLowerCase();
      var rows = [];
      for (var i = 0; i < labels.length; i++) {
        if (!q || labels[i].toLowerCase().indexOf(q) >= 0) { rows.push(i); }
      }
      // Sorted by a column (slices without a value last), by name (-2), or in the result's order.
      var c = view.sort, sign = view.descending ? -1 : 1;
      if (c >= 0) {
        rows.sort(function (a, b) {
          var x = cell(a, c), y = cell(b, c);
          if (Number.isNaN(x) || Number.isNaN(y)) { return Number.isNaN(x) - Number.isNaN(y) || a - b; }
          return sign * (x - y) || a - b;
        });
      } else if (c === -2) {
        rows.sort(function (a, b) { return sign * labels[a].localeCompare(labels[b]); });
      }
      view.rows = rows;
      view.page = 0;
    }
    var search = el('input', { type: 'search', placeholder: 'Search ' + labels.length.toLocaleString('en-US') + ' slices', 'aria-label': 'Search slices' });
    var status = el('p', { class: 'muted', 'aria-live': 'polite' });
    var table = el('table', { class: 'slice-index' });
    var head = el('tr');
    var body = el('tbody');
    var prev = el('button', { type: 'button' }, '← Previous');
    var next = el('button', { type: 'button' }, 'Next →');
    function sortButton(text, c) {
      var th = el('th', { scope: 'col' });
      var button = el('button', { type: 'button', class: 'sort', 'data-column': String(c) }, text);
      // A column sorts largest first, then toggles; the names sort from A.
      button.addEventListener('click', function () {
        view.descending = view.sort === c ? !view.descending : c >= 0;
        view.sort = c;
        select();
        draw();
      });
      th.appendChild(button);
      return th;
    }
    head.appendChild(sortButton('Slice', -2));
    for (var c = 0; c < width; c++) { head.appendChild(sortButton(title(c), c)); }
    table.appendChild(el('thead')).appendChild(head);
    table.appendChild(body);
    function draw() {
      var first = view.page * PAGE_ROWS, rows = view.rows.slice(first, first + PAGE_ROWS);
      body.textContent = '';
      rows.forEach(function (row) {
        var tr = el('tr', { 'data-label': labels[row] });
        var th = el('th', { scope: 'row' }, labels[row] + ' ');
        if (detailed[labels[row]] && root) {
          var show = el('button', { type: 'button', class: 'show', 'aria-label': 'Show ' + labels[row] + ' in the explorer' }, 'show in explorer');
          show.addEventListener('click', function () { showInExplorer(detailed[labels[row]]); });
          th.appendChild(show);
        }
        tr.appendChild(th);
        for (var c = 0; c < width; c++) { tr.appendChild(el('td', {}, fmt(cell(row, c)))); }
        body.appendChild(tr);
      });
      head.querySelectorAll('th').forEach(function (th) {
        var c = Number(th.firstChild.getAttribute('data-column'));
        var on = c === view.sort;
        th.setAttribute('aria-sort', on ? (view.descending ? 'descending' : 'ascending') : 'none');
      });
      status.textContent = view.rows.length
        ? 'Slices ' + (first + 1).toLocaleString('en-US') + '–' + (first + rows.length).toLocaleString('en-US') + ' of ' +
          view.rows.length.toLocaleString('en-US') + (view.query ? ' matching “' + view.query + '”' : '')
        : 'No slice matches “' + view.query + '”.';
      prev.disabled = view.page === 0;
      next.disabled = first + PAGE_ROWS >= view.rows.length;
    }
    search.addEventListener('input', function () { view.query = search.value; select(); draw(); });
    prev.addEventListener('click', function () { view.page--; draw(); });
    next.addEventListener('click', function () { view.page++; draw(); });
    var target = section.querySelector('.index-view');
    var pager = el('div', { class: 'pager' });
    pager.appendChild(prev);
    pager.appendChild(next);
    [search, status, table, pager].forEach(function (x) { target.appendChild(x); });
    section.querySelector('.nojs').remove();
    select();
    draw();
  }

  // The table of gaps and the tables of all slices come after this script: set them up once read.
  document.addEventListener('DOMContentLoaded', function () {
    judgeParity();
    document.querySelectorAll('section.all-slices').forEach(function (section) {
      try { sliceIndexTable(section); } catch (e) { fail('The table of all slices: ' + e.message); }
    });
    document.documentElement.setAttribute('data-loaded-ms', String(Math.round(performance.now())));
  });
  window.addEventListener('beforeprint', function () { document.querySelectorAll('details').forEach(function (d) { d.open = true; }); });
  window.fairbeamReport = {
    state: function () { return JSON.parse(JSON.stringify(state)); },
    csv: function (key) {
      var p = panelKeys().filter(function (x) { return x.key === key; })[0];
      return p ? toCsv(p, sortRows(rows(p.key, shownSlices()))) : null;
    },
    format: fmt
  };
  // How long the script took, and how long since navigation began: the page is usable from then.
  document.documentElement.setAttribute('data-ready-ms', String(Math.round(performance.now() - started)));
  document.documentElement.setAttribute('data-interactive-ms', String(Math.round(performance.now())));
})();
