"""Publishing: from a draft's text to the channel, now or on schedule.

`formatter` turns a draft into the exact HTML messages (in a worker process, with a time limit);
`publisher` is the one door to the channel (sends, corrections, deletions, uncertain parts);
`scheduler` keeps the one timer for the earliest scheduled post; `slots` picks posting slots, quiet
hours and misfires; `retry` is the one retry policy; `credit` writes a forwarded post's source line.
"""
