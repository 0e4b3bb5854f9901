-- TPC-DS Q55 (Appendix B.55): store sales (extended price) per brand of one manager's items in a
-- given month and year.
-- @param YEAR 1999 ~ uniform(1998, 2002)
-- @param MONTH 11 ~ uniform(11, 12)
-- @param MANAGER 28 ~ uniform(1, 100)
select
    i_brand_id as brand_id,
    i_brand as brand,
    sum(ss_ext_sales_price) as ext_price
from date_dim, store_sales, item
where d_date_sk = ss_sold_date_sk
  and ss_item_sk = i_item_sk
  and i_manager_id = ${MANAGER}
  and d_moy = ${MONTH}
  and d_year = ${YEAR}
group by i_brand, i_brand_id
order by ext_price desc, brand_id
limit 100
