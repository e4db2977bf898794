"""Dates as people write them and count them, for every area.

- `fuzzy`: dates and times as agencies write them in returns ("May 2016",
  "c. 2015", 22/05/16, Excel serials), read day-first with their precision kept;
- `workdays`: English working days (bank holidays included) and the statutory
  clocks of case reviews counted in them.

Now, and days typed in ISO or UK form, are `app.clock`'s.
"""
