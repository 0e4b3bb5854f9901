-- TPC-DS Q90 (Appendix B.90): ratio of web sales in a morning hour pair to those in an evening hour pair,
-- for buyers with a given dependent count, on web pages of 5000 to 5200 characters.
-- @param DEPCNT 6 ~ uniform(0, 9)
-- @param HOUR_AM 8 ~ uniform(6, 12)
-- @param HOUR_PM 19 ~ uniform(13, 21)
with page_sales as (
    select t_hour
    from web_sales, household_demographics, time_dim, web_page
    where ws_sold_time_sk = t_time_sk
      and ws_ship_hdemo_sk = hd_demo_sk
      and ws_web_page_sk = wp_web_page_sk
      and hd_dep_count = ${DEPCNT}
      and wp_char_count between 5000 and 5200
),
counts as (
    select
        count(case when t_hour between ${HOUR_AM} and ${HOUR_AM} + 1 then 1 end) as am_count,
        count(case when t_hour between ${HOUR_PM} and ${HOUR_PM} + 1 then 1 end) as pm_count
    from page_sales
)
-- nullif: no evening sales gives a null ratio rather than a division-by-zero error
select cast(am_count as decimal(15,4)) / cast(nullif(pm_count, 0) as decimal(15,4)) as am_pm_ratio
from counts
order by am_pm_ratio
limit 100
