-- Map Quarto's cell options onto plain pandoc, for rendering executed notebooks without Quarto.
--
-- * code cells: the source is dropped (every chapter cell is `#| echo: false`), as are cells
--   with no output (parameters, injected parameters, set-up);
-- * outputs: Markdown outputs are parsed as Markdown; images are kept; plain-text reprs of rich
--   outputs, streams (warnings) and raw HTML are dropped;
-- * `#| label: fig-...` with `fig-cap` and `fig-alt`: the cell's image becomes a numbered figure
--   with its caption, and alt text (the chart helper's own alt text wins over `fig-alt`);
-- * `#| label: tbl-...` with `tbl-cap`: the cell's table gets a numbered caption;
-- * `@fig-...` and `@tbl-...` references become links reading "Figure n" / "Table n".

local fig_n, tbl_n = 0, 0
local refs = {}
-- The report is numbered once, over the whole document, and the numbers are written into the
-- captions ("Figure 3: ..."), so the HTML pages and the PDF (where Typst's own figure
-- numbering is off) carry the same numbers.
local function prefixed(kind, n, text)
  return kind .. " " .. n .. ": " .. text
end

local function cell_options(code)
  local opts = {}
  for line in code:gmatch("[^\n]+") do
    local k, v = line:match("^#|%s*([%w%-]+):%s*(.-)%s*$")
    if k then
      v = v:gsub('^"(.*)"$', "%1"):gsub("^'(.*)'$", "%1")
      opts[k] = v
    end
  end
  return opts
end

local function output_blocks(div)
  local out = pandoc.List()
  if div.classes:includes("stream") or div.classes:includes("error") then
    return out
  end
  for _, b in ipairs(div.content) do
    if b.t == "RawBlock" and b.format == "markdown" then
      out:extend(pandoc.read(b.text, "markdown").blocks)
    elseif b.t == "Para" or b.t == "Plain" then
      local has_image = false
      for _, il in ipairs(b.content) do
        if il.t == "Image" then has_image = true end
      end
      if has_image then out:insert(b) end
    end
  end
  return out
end

local function make_figure(blocks, opts)
  for i, b in ipairs(blocks) do
    if (b.t == "Para" or b.t == "Plain") then
      for _, il in ipairs(b.content) do
        if il.t == "Image" then
          fig_n = fig_n + 1
          local label = opts["label"]
          refs[label] = "Figure " .. fig_n
          local alt = il.attributes["alt"] or opts["fig-alt"] or opts["fig-cap"] or ""
          il.attributes["alt"] = nil
          il.caption = pandoc.Inlines(alt)
          local cap = pandoc.Inlines(prefixed("Figure", fig_n, opts["fig-cap"] or ""))
          blocks[i] = pandoc.Figure({pandoc.Plain({il})}, {long = {pandoc.Plain(cap)}},
                                    pandoc.Attr(label))
          return blocks
        end
      end
    end
  end
  return blocks
end

local function make_table(blocks, opts)
  for i, b in ipairs(blocks) do
    if b.t == "Table" then
      tbl_n = tbl_n + 1
      local label = opts["label"]
      refs[label] = "Table " .. tbl_n
      b.caption = {long = {pandoc.Plain(pandoc.Inlines(
        prefixed("Table", tbl_n, opts["tbl-cap"] or "")))}}
      b.attr = pandoc.Attr(label)
      blocks[i] = b
      return blocks
    end
  end
  return blocks
end

local function cells(el)
  if el.classes:includes("cell") and el.classes:includes("markdown") then
    return el.content
  end
  if not (el.classes:includes("cell") and el.classes:includes("code")) then
    return nil
  end
  local opts, out = {}, pandoc.List()
  local seen_source = false
  for _, b in ipairs(el.content) do
    if b.t == "CodeBlock" and not seen_source then
      opts = cell_options(b.text)
      seen_source = true
    elseif b.t == "Div" and b.classes:includes("output") then
      out:extend(output_blocks(b))
    end
  end
  if opts["include"] == "false" then return {} end
  local label = opts["label"] or ""
  if label:match("^fig%-") then out = make_figure(out, opts) end
  if label:match("^tbl%-") then out = make_table(out, opts) end
  return out
end

local function cite(el)
  local id = el.citations[1].id
  if refs[id] then
    return pandoc.Link(refs[id], "#" .. id)
  end
  return nil
end

return {
  {Div = cells},
  {Cite = cite},
}
