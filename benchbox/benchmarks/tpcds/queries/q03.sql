-- TPC-DS Q3 (Appendix B.3): per year, the total sales of each brand of one manufacturer in one
-- month of the year.
-- @param MONTH 11 ~ uniform(11, 12)
-- @param MANUFACT 128 ~ uniform(1, 1000)
-- @param AGGC 'ss_ext_sales_price' ~ choice(['ss_ext_sales_price', 'ss_sales_price', 'ss_ext_discount_amt', 'ss_net_profit'])
select
    d_year,
    i_brand_id as brand_id,
    i_brand as brand,
    sum(${AGGC}) as sum_agg
from date_dim, store_sales, item
where d_date_sk = ss_sold_date_sk
  and i_item_sk = ss_item_sk
  and i_manufact_id = ${MANUFACT}
  and d_moy = ${MONTH}
group by d_year, i_brand, i_brand_id
order by d_year, sum_agg desc, brand_id
limit 100
