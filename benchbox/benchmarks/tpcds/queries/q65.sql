-- TPC-DS Q65 (Appendix B.65): per store, the items whose store revenue in a twelve-month window is at
-- most 10% of the store's average item revenue.
-- @param DMS 1176 ~ uniform(1176, 1224)
with item_revenue as (
    select ss_store_sk, ss_item_sk, sum(ss_sales_price) as revenue
    from store_sales, date_dim
    where ss_sold_date_sk = d_date_sk
      and d_month_seq between ${DMS} and ${DMS} + 11
    group by ss_store_sk, ss_item_sk
),
store_average as (
    select ss_store_sk, avg(revenue) as ave
    from item_revenue
    group by ss_store_sk
)
select s_store_name, i_item_desc, r.revenue, i_current_price, i_wholesale_cost, i_brand
from store, item, store_average a, item_revenue r
where a.ss_store_sk = r.ss_store_sk
  and r.revenue <= 0.1 * a.ave
  and s_store_sk = r.ss_store_sk
  and i_item_sk = r.ss_item_sk
order by s_store_name, i_item_desc
limit 100
