-- TPC-DS Q88 (Appendix B.88): store sales at store 'ese' in each half hour from 8:30 to 12:30, for
-- households with one of three dependent counts and at most that count plus two vehicles.
-- @param HOUR [4, 2, 0] ~ sample(ints(-1, 4), 3)
with morning_sales as (
    select t_hour, t_minute
    from store_sales, household_demographics, time_dim, store
    where ss_sold_time_sk = t_time_sk
      and ss_hdemo_sk = hd_demo_sk
      and ss_store_sk = s_store_sk
      and s_store_name = 'ese'
      and hd_dep_count in (${HOUR})
      and hd_vehicle_count <= hd_dep_count + 2
      and t_hour between 8 and 12
)
select
    count(case when t_hour = 8 and t_minute >= 30 then 1 end) as h8_30_to_9,
    count(case when t_hour = 9 and t_minute < 30 then 1 end) as h9_to_9_30,
    count(case when t_hour = 9 and t_minute >= 30 then 1 end) as h9_30_to_10,
    count(case when t_hour = 10 and t_minute < 30 then 1 end) as h10_to_10_30,
    count(case when t_hour = 10 and t_minute >= 30 then 1 end) as h10_30_to_11,
    count(case when t_hour = 11 and t_minute < 30 then 1 end) as h11_to_11_30,
    count(case when t_hour = 11 and t_minute >= 30 then 1 end) as h11_30_to_12,
    count(case when t_hour = 12 and t_minute < 30 then 1 end) as h12_to_12_30
from morning_sales
