-- wrk script: POST a status with the token in TOKEN.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, nil, nil, "status=benchmark+post+" .. counter .. "+%23bench")
end
