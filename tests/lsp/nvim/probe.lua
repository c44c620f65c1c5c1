-- Drive fastapi-architect from a real Neovim (0.7+) LSP client, headless.
-- Inputs (environment): FA_SERVER_CMD (JSON list), FA_ROOT, FA_FILE, FA_LINE (0-based), FA_OUT.
-- Writes one JSON object to FA_OUT with what the editor saw, then quits.
local result = {}
local function finish()
  vim.fn.writefile({ vim.fn.json_encode(result) }, os.getenv("FA_OUT"))
  vim.cmd("qall!")
end

local ok, err = pcall(function()
  vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("FA_FILE")))
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = "fastapi-architect",
    cmd = vim.fn.json_decode(os.getenv("FA_SERVER_CMD")),
    root_dir = os.getenv("FA_ROOT"),
    handlers = {
      ["textDocument/publishDiagnostics"] = function(_, params, _, _)
        result.diagnostics = params.diagnostics
      end,
      ["window/logMessage"] = function(_, params, _, _)
        result.log = result.log or {}
        table.insert(result.log, params.message)
      end,
    },
  })
  vim.lsp.buf_attach_client(bufnr, client_id)
  result.initialized = vim.wait(30000, function()
    local client = vim.lsp.get_client_by_id(client_id)
    return client ~= nil and client.initialized == true
  end, 20)
  local client = vim.lsp.get_client_by_id(client_id)
  result.capabilities = client.server_capabilities
  result.got_diagnostics = vim.wait(15000, function() return result.diagnostics ~= nil end, 20)

  local line = tonumber(os.getenv("FA_LINE"))
  local position = { line = line, character = 1 }
  local uri = vim.uri_from_bufnr(bufnr)
  local actions = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", {
    textDocument = { uri = uri },
    range = { start = position, ["end"] = position },
    context = { diagnostics = result.diagnostics or {} },
  }, 15000)
  result.code_actions = (actions and actions[client_id] and actions[client_id].result) or {}
  -- Resolve the preferred quick fix lazily, as Neovim's own code_action() does, and apply it.
  for _, action in ipairs(result.code_actions) do
    if action.isPreferred and action.edit == nil and action.data ~= nil then
      local resolved = vim.lsp.buf_request_sync(bufnr, "codeAction/resolve", action, 15000)
      local answer = resolved and resolved[client_id] and resolved[client_id].result
      if answer and answer.edit then
        vim.lsp.util.apply_workspace_edit(answer.edit, client.offset_encoding or "utf-16")
        result.buffer_after_fix = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n")
      end
      break
    end
  end
  local completion = vim.lsp.buf_request_sync(bufnr, "textDocument/completion", {
    textDocument = { uri = uri },
    position = position,
  }, 15000)
  result.completion_answered = completion ~= nil and completion[client_id] ~= nil
    and completion[client_id].err == nil
  client.stop()
  result.stopped = vim.wait(10000, function() return client.is_stopped() end, 20)
end)
if not ok then result.error = tostring(err) end
finish()
