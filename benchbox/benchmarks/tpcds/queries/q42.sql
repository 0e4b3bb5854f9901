-- TPC-DS Q42 (Appendix B.42): store sales (extended price) of manager 1's items in a given month and year,
-- per item category, largest first.
-- @param MONTH 11 ~ uniform(11, 12)
-- @param YEAR 2000 ~ uniform(1998, 2002)
select
    d_year,
    i_category_id,
    i_category,
    sum(ss_ext_sales_price) as total_sales
from date_dim, store_sales, item
where d_date_sk = ss_sold_date_sk
  and ss_item_sk = i_item_sk
  and i_manager_id = 1
  and d_moy = ${MONTH}
  and d_year = ${YEAR}
group by d_year, i_category_id, i_category
order by total_sales desc, d_year, i_category_id, i_category
limit 100
