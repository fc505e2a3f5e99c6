-- Drive MindPort from Neovim's built-in LSP client (0.7: vim.lsp.start_client) through the
-- setup users install (editors/neovim/mindport.lua), headless, and write what it saw as JSON.
-- Arguments come through environment variables: MINDPORT_CMD (JSON list), MINDPORT_FILE,
-- MINDPORT_OUT, MINDPORT_SETUP (the module's path), MINDPORT_HOVER_LINE / MINDPORT_HOVER_COL
-- (0-based; the column in UTF-16 units).
local function finish(result)
  local handle = io.open(os.getenv("MINDPORT_OUT"), "w")
  handle:write(vim.fn.json_encode(result))
  handle:close()
  vim.cmd("qa!")
end

local function buffer_text(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n")
end

local ok, err = pcall(function()
  local notes = {}
  vim.notify = function(message)
    table.insert(notes, message)
  end
  local mindport = dofile(os.getenv("MINDPORT_SETUP"))
  mindport.setup({ cmd = vim.fn.json_decode(os.getenv("MINDPORT_CMD")), init_options = { locale = "en" } })
  local file = os.getenv("MINDPORT_FILE")
  vim.cmd("edit " .. vim.fn.fnameescape(file)) -- FileType python starts and attaches the server
  local bufnr = vim.api.nvim_get_current_buf()
  local result = { diagnostics = {}, hover = vim.NIL, actions = {}, notes = notes }

  -- Neovim 0.7 does not pull diagnostics: MindPort pushes them to it.
  local got = vim.wait(60000, function()
    return #vim.diagnostic.get(bufnr) > 0
  end, 100)
  if not got then
    finish({ error = "no diagnostics within 60 s" })
    return
  end
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(result.diagnostics, {
      code = d.code, line = d.lnum, col = d.col, end_col = d.end_col,
      message = d.message, source = d.source, severity = d.severity,
    })
  end

  local client = mindport.client(bufnr)
  result.clients = #vim.tbl_keys(vim.lsp.buf_get_clients(bufnr))
  local position = { line = tonumber(os.getenv("MINDPORT_HOVER_LINE")), character = tonumber(os.getenv("MINDPORT_HOVER_COL")) }
  local hover = client.request_sync("textDocument/hover", {
    textDocument = vim.lsp.util.make_text_document_params(bufnr), position = position,
  }, 30000, bufnr)
  if hover and hover.result then
    result.hover = hover.result
  end
  -- Neovim 0.7 sends only the cursor line's diagnostics in the code-action context.
  local line_diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, position.line)
  local actions = client.request_sync("textDocument/codeAction", {
    textDocument = vim.lsp.util.make_text_document_params(bufnr),
    range = { start = position, ["end"] = position },
    context = { diagnostics = line_diagnostics },
  }, 30000, bufnr)
  if actions and actions.result then
    for _, action in ipairs(actions.result) do
      if action.edit then
        vim.lsp.util.apply_workspace_edit(action.edit, "utf-16")
        break
      end
    end
    for _, action in ipairs(actions.result) do
      table.insert(result.actions, action.title)
    end
  end
  result.text = buffer_text(bufnr)

  -- The commands the setup adds: the full card (cursor on the API), fix-all, the summary.
  vim.wait(3000, function() return false end, 100) -- let the server see the quick fix
  vim.fn.search("torch.zeros") -- the cursor on `torch.zeros(3)`
  vim.cmd("normal! 8l") -- on `zeros`
  vim.cmd("MindPortCard")
  result.card = buffer_text(vim.api.nvim_get_current_buf())
  if vim.api.nvim_get_current_buf() ~= bufnr then
    vim.cmd("close")
  end
  vim.cmd("MindPortFixAll")
  result.fixed = buffer_text(bufnr)
  vim.cmd("MindPortSummary")
  result.summary = buffer_text(vim.api.nvim_get_current_buf())
  finish(result)
end)
if not ok then
  finish({ error = tostring(err) })
end
