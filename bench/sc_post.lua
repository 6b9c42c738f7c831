-- wrk script: POST a SelfCommunity status (JSON, HTML text) with the token in TOKEN.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, nil, nil,
    '{"action": null, "text": "<p>benchmark post ' .. counter .. ' @bob</p>", "categories": [2]}')
end
