-- TPC-DS Q2 (Appendix B.2): week by week and day by day, the ratio of one year's combined web and
-- catalog sales to the sales of the same week of the following year.
-- @param YEAR 2001 ~ uniform(1998, 2001)
with channel_sales as (
    select ws_sold_date_sk as date_sk, ws_ext_sales_price as price
    from web_sales
    union all
    select cs_sold_date_sk as date_sk, cs_ext_sales_price as price
    from catalog_sales
),
weekly as (
    select
        d_week_seq as week_seq,
        sum(case when d_day_name = 'Sunday' then price end) as sun,
        sum(case when d_day_name = 'Monday' then price end) as mon,
        sum(case when d_day_name = 'Tuesday' then price end) as tue,
        sum(case when d_day_name = 'Wednesday' then price end) as wed,
        sum(case when d_day_name = 'Thursday' then price end) as thu,
        sum(case when d_day_name = 'Friday' then price end) as fri,
        sum(case when d_day_name = 'Saturday' then price end) as sat
    from channel_sales, date_dim
    where d_date_sk = date_sk
    group by d_week_seq
),
this_year as (
    -- one row per day of the year (so a week appears once per day it has in the year)
    select w.*
    from weekly w, date_dim
    where d_week_seq = w.week_seq
      and d_year = ${YEAR}
),
next_year as (
    select w.*
    from weekly w, date_dim
    where d_week_seq = w.week_seq
      and d_year = ${YEAR} + 1
)
select
    y1.week_seq as week_seq1,
    round(y1.sun / y2.sun, 2) as sun_ratio,
    round(y1.mon / y2.mon, 2) as mon_ratio,
    round(y1.tue / y2.tue, 2) as tue_ratio,
    round(y1.wed / y2.wed, 2) as wed_ratio,
    round(y1.thu / y2.thu, 2) as thu_ratio,
    round(y1.fri / y2.fri, 2) as fri_ratio,
    round(y1.sat / y2.sat, 2) as sat_ratio
from this_year y1, next_year y2
where y1.week_seq = y2.week_seq - 53
order by y1.week_seq
