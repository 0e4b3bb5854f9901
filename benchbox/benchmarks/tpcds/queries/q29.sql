-- TPC-DS Q29 (Appendix B.29): for items sold in stores in a given month, returned within the following
-- three months of that year and bought again by the same customer through the catalog within three
-- years, the quantities sold, returned and re-bought, per item and store.
-- The kit's template fixes MONTH at 4 (random(4, 4)); the qualification value 9 is outside that domain.
-- @param MONTH 9 ~ 4
-- @param YEAR 1999 ~ uniform(1998, 2000)
-- @param AGG 'sum' ~ choice(['sum', 'min', 'max', 'avg', 'stddev_samp'])
select
    i_item_id,
    i_item_desc,
    s_store_id,
    s_store_name,
    ${AGG}(ss_quantity) as store_sales_quantity,
    ${AGG}(sr_return_quantity) as store_returns_quantity,
    ${AGG}(cs_quantity) as catalog_sales_quantity
from
    store_sales,
    store_returns,
    catalog_sales,
    date_dim sold_date,
    date_dim returned_date,
    date_dim rebought_date,
    store,
    item
where sold_date.d_moy = ${MONTH}
  and sold_date.d_year = ${YEAR}
  and sold_date.d_date_sk = ss_sold_date_sk
  and i_item_sk = ss_item_sk
  and s_store_sk = ss_store_sk
  and ss_customer_sk = sr_customer_sk
  and ss_item_sk = sr_item_sk
  and ss_ticket_number = sr_ticket_number
  and sr_returned_date_sk = returned_date.d_date_sk
  and returned_date.d_moy between ${MONTH} and ${MONTH} + 3
  and returned_date.d_year = ${YEAR}
  and sr_customer_sk = cs_bill_customer_sk
  and sr_item_sk = cs_item_sk
  and cs_sold_date_sk = rebought_date.d_date_sk
  and rebought_date.d_year in (${YEAR}, ${YEAR} + 1, ${YEAR} + 2)
group by i_item_id, i_item_desc, s_store_id, s_store_name
order by i_item_id, i_item_desc, s_store_id, s_store_name
limit 100
