-- TPC-DS Q52 (Appendix B.52): store sales (extended price) per brand of manager 1's items in a
-- given month and year.
-- @param MONTH 11 ~ uniform(11, 12)
-- @param YEAR 2000 ~ uniform(1998, 2002)
select
    d_year,
    i_brand_id as brand_id,
    i_brand as brand,
    sum(ss_ext_sales_price) as ext_price
from date_dim, store_sales, item
where d_date_sk = ss_sold_date_sk
  and ss_item_sk = i_item_sk
  and i_manager_id = 1
  and d_moy = ${MONTH}
  and d_year = ${YEAR}
group by d_year, i_brand, i_brand_id
order by d_year, ext_price desc, brand_id
limit 100
