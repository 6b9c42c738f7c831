-- wrk script: GET with the token in TOKEN.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
