/* The rich-text editor (Jodit, vendored under vendor/jodit, ADR 0017) on every
   <textarea data-rich-text>. Without JavaScript the textarea stays a plain HTML field; with
   it, the editor writes its HTML back into the textarea, and the server cleans it either
   way (openness.services._richtext). Loaded as a file: the CSP allows no inline script. */
(function () {
  "use strict";
  if (!window.Jodit) return;
  // Jodit marks the toolbar's list item (not only its button) as pressed; aria-pressed
  // is not allowed on a list item, so screen readers would be told nonsense.
  function dropListItemPressed(root) {
    var fix = function () {
      var items = root.querySelectorAll('[role="listitem"][aria-pressed]');
      for (var j = 0; j < items.length; j++) items[j].removeAttribute("aria-pressed");
    };
    fix();
    new MutationObserver(fix).observe(root, {
      attributes: true, subtree: true, attributeFilter: ["aria-pressed"]
    });
  }

  var areas = document.querySelectorAll("textarea[data-rich-text]");
  for (var i = 0; i < areas.length; i++) {
    var area = areas[i];
    var editor = window.Jodit.make(area, {
      language: "zh_cn",
      iframe: false,
      toolbarAdaptive: false,
      statusbar: false,
      showPlaceholder: false,
      minHeight: parseInt(area.getAttribute("rows") || "8", 10) * 24,
      // Structure only: the server drops styling, so the toolbar offers none.
      buttons: [
        "paragraph", "bold", "italic", "|", "ul", "ol", "|", "table", "link", "image",
        "|", "undo", "redo", "eraser"
      ],
      controls: {
        paragraph: {
          list: { p: "正文", h2: "一级标题", h3: "二级标题", h4: "三级标题" }
        }
      },
      // Pictures are kept in the text as small data: images (the server checks their
      // bytes and size); larger ones belong in attachments.
      uploader: { insertImageAsBase64URI: true, imagesExtensions: ["jpg", "png", "jpeg"] },
      // Paste from Word or a web page: keep structure, drop styling, without asking.
      askBeforePasteHTML: false,
      askBeforePasteFromWord: false,
      defaultActionOnPaste: "insert_clear_html",
      defaultActionOnPasteFromWord: "insert_clear_html",
      link: { noFollowCheckbox: false, openInNewTabCheckbox: false },
      showXPathInStatusbar: false,
      // The source view would fetch a beautifier and the Ace editor from a CDN.
      beautifyHTML: false,
      sourceEditor: "area",
      disablePlugins: ["speech-recognize", "ai-assistant", "powered-by-jodit", "about", "source"]
    });
    dropListItemPressed(editor.container);
  }
})();
