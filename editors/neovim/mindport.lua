-- MindPort for Neovim's built-in LSP client: Neovim 0.7 (vim.lsp.start_client) and newer
-- (vim.lsp.start). Copy this file to ~/.config/nvim/lua/mindport.lua, then in init.lua:
--
--   require("mindport").setup({ cmd = { "mindport", "serve" }, init_options = { locale = "zh-cn" } })
--
-- Commands: :MindPortFixAll (the safe fixes of the buffer), :MindPortSummary (the workspace's
-- migration summary in a split), :MindPortCard [name] (the full knowledge card of the API under
-- the cursor, or of `name`). With nvim-lspconfig or vim.lsp.enable starting the server instead,
-- call setup({ autostart = false }) for the commands alone (see docs/editors.md).
local M = {}

M.config = {
  cmd = { "mindport", "serve" },
  init_options = {},
  root_markers = { "pyproject.toml", "setup.py", "setup.cfg", ".git" },
  autostart = true, -- false: another setup (lspconfig, vim.lsp.enable) starts the server
}

local FIX_ALL = "source.fixAll.mindport"
local clients = {} -- root directory -> client id (Neovim 0.7 has no vim.lsp.start to reuse them)

local function notify(message, level)
  vim.notify("MindPort: " .. message, level or vim.log.levels.INFO)
end

local function root_dir(bufnr)
  local file = vim.api.nvim_buf_get_name(bufnr)
  local dir = file ~= "" and vim.fn.fnamemodify(file, ":p:h") or vim.fn.getcwd()
  for _, marker in ipairs(M.config.root_markers) do
    local found = vim.fn.findfile(marker, dir .. ";")
    if found ~= "" then
      return vim.fn.fnamemodify(found, ":p:h")
    end
    found = vim.fn.finddir(marker, dir .. ";")
    if found ~= "" then
      return vim.fn.fnamemodify(found, ":p:h:h")
    end
  end
  return dir
end

--- Start (or reuse) the server for a buffer and attach it; returns the client id.
function M.start(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local root = root_dir(bufnr)
  local spec = {
    name = "mindport",
    cmd = M.config.cmd,
    root_dir = root,
    init_options = M.config.init_options,
  }
  if vim.lsp.start then -- Neovim 0.8+
    return vim.lsp.start(spec, { bufnr = bufnr })
  end
  local id = clients[root]
  if id == nil or vim.lsp.get_client_by_id(id) == nil then
    id = vim.lsp.start_client(spec)
    clients[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

--- The MindPort client attached to a buffer.
function M.client(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  for _, client in pairs(vim.lsp.buf_get_clients(bufnr)) do
    if client.name == "mindport" then
      return client
    end
  end
  return nil
end

local function request(client, method, params, bufnr)
  local response, err = client.request_sync(method, params, 30000, bufnr)
  if err or response == nil then
    notify(method .. " failed: " .. tostring(err or "no answer"), vim.log.levels.WARN)
    return nil
  end
  if response.err then
    notify(method .. " failed: " .. tostring(response.err.message or response.err), vim.log.levels.WARN)
    return nil
  end
  return response.result
end

--- Apply every safe fix of the buffer (the server's source.fixAll.mindport action) and say so.
function M.fix_all(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local client = M.client(bufnr)
  if client == nil then
    return notify("the server is not attached to this buffer", vim.log.levels.WARN)
  end
  local last = vim.api.nvim_buf_line_count(bufnr)
  local actions = request(client, "textDocument/codeAction", {
    textDocument = vim.lsp.util.make_text_document_params(bufnr),
    range = { start = { line = 0, character = 0 }, ["end"] = { line = last, character = 0 } },
    context = { diagnostics = {}, only = { FIX_ALL } },
  }, bufnr) or {}
  local applied = 0
  for _, action in ipairs(actions) do
    if action.kind == FIX_ALL then
      if action.edit == nil and action.data ~= nil then
        action = request(client, "codeAction/resolve", action, bufnr) or action
      end
      if action.edit then
        for _, edits in pairs(action.edit.changes or {}) do
          applied = applied + #edits
        end
        for _, change in ipairs(action.edit.documentChanges or {}) do
          applied = applied + #(change.edits or {})
        end
        vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or "utf-16")
      end
    end
  end
  if applied == 0 then
    return notify("no safe fix in this buffer (a quick fix on a finding may still help)")
  end
  notify(string.format("applied the safe fixes (%d edits); what is left needs a person", applied))
end

local function show_markdown(title, markdown)
  vim.cmd("botright vnew")
  local buf = vim.api.nvim_get_current_buf()
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, vim.split(markdown, "\n", { plain = true }))
  vim.bo[buf].buftype = "nofile"
  vim.bo[buf].bufhidden = "wipe"
  vim.bo[buf].modifiable = false
  vim.bo[buf].filetype = "markdown"
  pcall(vim.api.nvim_buf_set_name, buf, title)
  return buf
end

--- The migration summary of the workspace, in a split.
function M.summary(bufnr)
  local client = M.client(bufnr)
  if client == nil then
    return notify("the server is not attached to this buffer", vim.log.levels.WARN)
  end
  local result = request(client, "workspace/executeCommand", { command = "mindport.migrationSummary", arguments = {} }, bufnr)
  if result and result.markdown then
    return show_markdown("MindPort migration summary", result.markdown)
  end
end

--- The full card of `name`, or of the API under the cursor (read from the hover), in a split.
function M.card(name, bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local client = M.client(bufnr)
  if client == nil then
    return notify("the server is not attached to this buffer", vim.log.levels.WARN)
  end
  if name == nil or name == "" then
    local hover = request(client, "textDocument/hover", vim.lsp.util.make_position_params(), bufnr)
    local value = hover and hover.contents and hover.contents.value or ""
    name = value:match("mindport explain ([%w%._]+)")
    if name == nil then
      return notify("no PyTorch or MindSpore API under the cursor")
    end
  end
  local result = request(client, "workspace/executeCommand", { command = "mindport.card", arguments = { name } }, bufnr)
  if result and result.markdown then
    return show_markdown("MindPort card: " .. name, result.markdown)
  end
  notify("no card for " .. name)
end

function M.setup(opts)
  M.config = vim.tbl_deep_extend("force", M.config, opts or {})
  local group = vim.api.nvim_create_augroup("mindport", { clear = true })
  if M.config.autostart then
    vim.api.nvim_create_autocmd("FileType", {
      group = group,
      pattern = "python",
      callback = function(args)
        M.start(args.buf)
      end,
    })
  end
  vim.api.nvim_create_user_command("MindPortFixAll", function()
    M.fix_all()
  end, { desc = "MindPort: apply the safe fixes of this buffer" })
  vim.api.nvim_create_user_command("MindPortSummary", function()
    M.summary()
  end, { desc = "MindPort: migration summary of the workspace" })
  vim.api.nvim_create_user_command("MindPortCard", function(command)
    M.card(command.args)
  end, { nargs = "?", desc = "MindPort: full knowledge card of the API under the cursor" })
end

return M
