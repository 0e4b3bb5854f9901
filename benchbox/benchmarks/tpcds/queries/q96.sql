-- TPC-DS Q96 (Appendix B.96): number of sales at store 'ese' in the second half of a given hour to
-- households with a given number of dependents.
-- @param HOUR 20 ~ choice([20, 15, 16, 8])
-- @param DEPCNT 7 ~ uniform(0, 9)
select count(*) as sales_count
from store_sales, household_demographics, time_dim, store
where ss_sold_time_sk = t_time_sk
  and ss_hdemo_sk = hd_demo_sk
  and ss_store_sk = s_store_sk
  and t_hour = ${HOUR}
  and t_minute >= 30
  and hd_dep_count = ${DEPCNT}
  and s_store_name = 'ese'
order by count(*)
limit 100
