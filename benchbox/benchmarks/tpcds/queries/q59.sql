-- TPC-DS Q59 (Appendix B.59): per store and week, the ratio of each weekday's store sales to the
-- same weekday's sales 52 weeks later, over a twelve-month window.
-- @param DMS 1212 ~ uniform(1176, 1212)
with weekly as (
    select
        d_week_seq,
        ss_store_sk,
        sum(case when d_day_name = 'Sunday' then ss_sales_price end) as sun_sales,
        sum(case when d_day_name = 'Monday' then ss_sales_price end) as mon_sales,
        sum(case when d_day_name = 'Tuesday' then ss_sales_price end) as tue_sales,
        sum(case when d_day_name = 'Wednesday' then ss_sales_price end) as wed_sales,
        sum(case when d_day_name = 'Thursday' then ss_sales_price end) as thu_sales,
        sum(case when d_day_name = 'Friday' then ss_sales_price end) as fri_sales,
        sum(case when d_day_name = 'Saturday' then ss_sales_price end) as sat_sales
    from store_sales, date_dim
    where d_date_sk = ss_sold_date_sk
    group by d_week_seq, ss_store_sk
),
this_year as (
    select
        s_store_name,
        s_store_id,
        w.d_week_seq,
        w.ss_store_sk,
        w.sun_sales,
        w.mon_sales,
        w.tue_sales,
        w.wed_sales,
        w.thu_sales,
        w.fri_sales,
        w.sat_sales
    from weekly w, store, date_dim d
    where d.d_week_seq = w.d_week_seq
      and w.ss_store_sk = s_store_sk
      and d.d_month_seq between ${DMS} and ${DMS} + 11
),
next_year as (
    select
        s_store_id,
        w.d_week_seq,
        w.ss_store_sk,
        w.sun_sales,
        w.mon_sales,
        w.tue_sales,
        w.wed_sales,
        w.thu_sales,
        w.fri_sales,
        w.sat_sales
    from weekly w, store, date_dim d
    where d.d_week_seq = w.d_week_seq
      and w.ss_store_sk = s_store_sk
      and d.d_month_seq between ${DMS} + 12 and ${DMS} + 23
)
select
    y1.s_store_name,
    y1.s_store_id,
    y1.d_week_seq,
    y1.sun_sales / y2.sun_sales as sun_ratio,
    y1.mon_sales / y2.mon_sales as mon_ratio,
    y1.tue_sales / y2.tue_sales as tue_ratio,
    y1.wed_sales / y2.wed_sales as wed_ratio,
    y1.thu_sales / y2.thu_sales as thu_ratio,
    y1.fri_sales / y2.fri_sales as fri_ratio,
    y1.sat_sales / y2.sat_sales as sat_ratio
from this_year y1, next_year y2
where y1.s_store_id = y2.s_store_id
  and y1.d_week_seq = y2.d_week_seq - 52
order by y1.s_store_name, y1.s_store_id, y1.d_week_seq
limit 100
